-- Courses and their ordered lessons. A course is edited while 'draft' and frozen once
-- 'published' (its price and lessons no longer change, so "every lesson complete" is stable).
CREATE TABLE courses (
  id uuid PRIMARY KEY,
  instructor_id uuid NOT NULL,
  title text NOT NULL,
  description text NOT NULL,
  price_cents integer NOT NULL CHECK (price_cents >= 0),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  skills text[] NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  published_at timestamptz,
  CHECK ((status = 'published') = (published_at IS NOT NULL)),
  -- Full-text search: a match in the title outranks one in the description.
  search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', description), 'B')
  ) STORED
);
CREATE INDEX courses_search ON courses USING GIN (search);
CREATE INDEX courses_skills ON courses USING GIN (skills);
-- The catalogue's keyset order without a query: newest published first, id breaking ties.
CREATE INDEX courses_catalogue ON courses (published_at DESC, id DESC) WHERE status = 'published';
CREATE INDEX courses_instructor ON courses (instructor_id);

CREATE TABLE lessons (
  id uuid PRIMARY KEY,
  course_id uuid NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
  title text NOT NULL,
  content text NOT NULL,
  position integer NOT NULL CHECK (position >= 1),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  -- Deferred so that inserting or moving a lesson can shift its neighbours in one statement.
  CONSTRAINT lessons_position_unique UNIQUE (course_id, position) DEFERRABLE INITIALLY DEFERRED
);
