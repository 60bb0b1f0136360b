-- Funnel timelines: for each event name, calendar month and person, the times they did it,
-- sorted and distinct. A funnel reads one row per person and step instead of every raw event of
-- the step: it finds the first time at or after a given instant with a binary search
-- (width_bucket) in the row's array.
--
-- A UTC day is summarized here once it is over, by the roller (src/db/timelines.ts), and
-- `summarized_until` moves to its end: funnels read timelines before that instant and raw
-- events from it on. Events that arrive later for a summarized day are added by the roller as
-- it rolls them up. People are resolved: when a visitor identifies, their rows move to the user.
CREATE TABLE timelines (
  name text COLLATE "C" NOT NULL,
  month date NOT NULL,
  person_id uuid NOT NULL,
  times timestamptz[] NOT NULL CHECK (cardinality(times) > 0),
  PRIMARY KEY (name, month, person_id)
);
-- When a visitor identifies, their rows are found here and moved to the user.
CREATE INDEX timelines_person ON timelines (person_id);

-- One row. NULL until the first day is summarized (funnels then read raw events only).
CREATE TABLE timeline_progress (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  summarized_until timestamptz
);
INSERT INTO timeline_progress DEFAULT VALUES;

-- The sorted, distinct union of two timelines. Two events at the same instant are one time
-- here: a funnel step asks for the first time after another, so they never count apart.
CREATE FUNCTION merge_times(a timestamptz[], b timestamptz[]) RETURNS timestamptz[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT array_agg(DISTINCT t ORDER BY t) FROM unnest(a || b) AS t $$;
