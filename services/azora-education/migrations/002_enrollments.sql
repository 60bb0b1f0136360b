-- Enrolments (one per course and user), the payments behind paid ones, and lesson progress.
CREATE TABLE enrollments (
  id uuid PRIMARY KEY,
  course_id uuid NOT NULL REFERENCES courses (id),
  user_id uuid NOT NULL,
  status text NOT NULL CHECK (status IN ('active', 'revoked')),
  source text NOT NULL CHECK (source IN ('free', 'payment')),
  created_at timestamptz NOT NULL,
  -- Set once, when the last lesson is completed; guards the single education.course.completed.
  completed_at timestamptz,
  revoked_at timestamptz,
  CONSTRAINT enrollments_course_user UNIQUE (course_id, user_id)
);
CREATE INDEX enrollments_user ON enrollments (user_id, created_at DESC, id DESC);

-- Every payment that bought access to a course: a refund revokes access only when no other
-- unrefunded payment for the same course and user remains.
CREATE TABLE course_payments (
  payment_id uuid PRIMARY KEY,
  course_id uuid NOT NULL REFERENCES courses (id),
  user_id uuid NOT NULL,
  amount integer NOT NULL,
  currency text NOT NULL,
  succeeded_at timestamptz NOT NULL,
  refunded_at timestamptz
);
CREATE INDEX course_payments_course_user ON course_payments (course_id, user_id);

CREATE TABLE lesson_completions (
  enrollment_id uuid NOT NULL REFERENCES enrollments (id),
  lesson_id uuid NOT NULL REFERENCES lessons (id),
  completed_at timestamptz NOT NULL,
  PRIMARY KEY (enrollment_id, lesson_id)
);
