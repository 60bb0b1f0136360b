-- Raw events, one table partitioned by ISO week (Monday 00:00 UTC) of the event's timestamp.
-- The service creates the weekly partitions ahead of time and on demand for late events
-- (src/db/partitions.ts), and retention drops whole weeks. An event is its id and timestamp:
-- a resend of the same event conflicts on the key and is not stored again.
CREATE TABLE events (
  ts timestamptz NOT NULL,
  id uuid NOT NULL,
  name text COLLATE "C" NOT NULL,
  source text NOT NULL CHECK (source IN ('client', 'bus')),
  -- Who the reports count it for: the user, else the anonymous visitor (until they identify).
  person_id uuid,
  user_id uuid,
  anonymous_id text COLLATE "C",
  properties jsonb NOT NULL DEFAULT '{}',
  received_at timestamptz NOT NULL,
  PRIMARY KEY (ts, id)
) PARTITION BY RANGE (ts);

-- Funnels read one step's events in a time range with their person from this index alone.
CREATE INDEX events_name_ts ON events (name, ts) INCLUDE (person_id);

-- When a visitor identifies, their earlier anonymous events move to the user: found here.
CREATE INDEX events_anonymous_person ON events (person_id) WHERE user_id IS NULL AND anonymous_id IS NOT NULL;
