-- Forge: jobs with escrowed rewards, the skills of open jobs (what recommendations rank), applications,
-- the skills users proved by completing courses, and the admins' verification of employers.

CREATE TABLE jobs (
  id uuid PRIMARY KEY,
  employer_id uuid NOT NULL,
  title text NOT NULL,
  description text NOT NULL,
  skills text[] NOT NULL CHECK (cardinality(skills) BETWEEN 1 AND 20),
  reward bigint NOT NULL CHECK (reward > 0),
  -- pending: the escrow hold is not confirmed yet; completing / closing: the release / refund is
  -- not confirmed yet. Those three are the states a reconciler finishes after a crash.
  status text NOT NULL CHECK (status IN ('pending', 'open', 'filled', 'completing', 'completed', 'closing', 'closed')),
  idempotency_key text,
  hired_application_id uuid,
  hired_user_id uuid,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  posted_at timestamptz,
  filled_at timestamptz,
  completed_at timestamptz,
  closed_at timestamptz,
  search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', description), 'B')
  ) STORED,
  CHECK ((status = 'pending') = (posted_at IS NULL)),
  CHECK ((hired_user_id IS NULL) = (status IN ('pending', 'open', 'closing', 'closed')))
);

-- A retried POST /jobs with the same Idempotency-Key finds the job it made.
CREATE UNIQUE INDEX jobs_idempotency ON jobs (employer_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
-- The board, newest first; and full-text search over open jobs.
CREATE INDEX jobs_open_recent ON jobs (posted_at DESC, id DESC) WHERE status = 'open';
CREATE INDEX jobs_open_search ON jobs USING gin (search) WHERE status = 'open';
-- An employer's own jobs, newest first.
CREATE INDEX jobs_by_employer ON jobs (employer_id, created_at DESC, id DESC);
-- What the reconciler looks for: escrow calls whose outcome is not recorded yet.
CREATE INDEX jobs_unsettled ON jobs (updated_at) WHERE status IN ('pending', 'completing', 'closing');

-- One row per skill of each open job (rows come and go with the job's open status). Recommendations
-- rank from this table alone, with an index-only scan of the caller's skills; the skill filter of
-- the board pages through the same index, newest first.
CREATE TABLE open_job_skills (
  job_id uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  skill text NOT NULL,
  skill_count smallint NOT NULL CHECK (skill_count > 0),
  posted_at timestamptz NOT NULL,
  employer_id uuid NOT NULL,
  PRIMARY KEY (job_id, skill)
);
CREATE INDEX open_job_skills_by_skill ON open_job_skills (skill, posted_at DESC, job_id DESC)
  INCLUDE (skill_count, employer_id);

CREATE TABLE applications (
  id uuid PRIMARY KEY,
  job_id uuid NOT NULL REFERENCES jobs (id),
  user_id uuid NOT NULL,
  cover_letter text NOT NULL,
  status text NOT NULL CHECK (status IN ('applied', 'shortlisted', 'rejected', 'hired')),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (job_id, user_id)
);
-- One hire per job, whatever the code above it does.
CREATE UNIQUE INDEX applications_one_hire ON applications (job_id) WHERE status = 'hired';
CREATE INDEX applications_by_job ON applications (job_id, created_at, id);
CREATE INDEX applications_by_user ON applications (user_id, created_at DESC, id DESC);

-- A skill a user proved, and the course that proved it: one row per (user, skill, course), so a
-- redelivered or republished completion adds nothing.
CREATE TABLE skill_proofs (
  user_id uuid NOT NULL,
  skill text NOT NULL,
  course_id uuid NOT NULL,
  completed_at timestamptz NOT NULL,
  event_id uuid NOT NULL,
  PRIMARY KEY (user_id, skill, course_id)
);

CREATE TABLE employer_verifications (
  user_id uuid PRIMARY KEY,
  verified boolean NOT NULL,
  updated_by uuid NOT NULL,
  updated_at timestamptz NOT NULL
);
