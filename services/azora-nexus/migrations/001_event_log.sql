-- Nexus's event log: every accepted event exactly once, numbered by a global, gap-free sequence.
-- The sequence is a one-row counter rather than a SEQUENCE: a sequence hands out numbers that a
-- rolled-back transaction burns, and publishers hold the counter's row lock until they commit, so
-- events become visible strictly in seq order (a reader that sees seq N sees every seq below N).
CREATE TABLE event_counter (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  last_seq bigint NOT NULL CHECK (last_seq >= 0)
);
INSERT INTO event_counter (last_seq) VALUES (0);

CREATE TABLE events (
  seq bigint PRIMARY KEY,
  id uuid NOT NULL UNIQUE,
  type text NOT NULL,
  source text NOT NULL,
  occurred_at timestamptz NOT NULL,
  subject text,
  request_id text,
  data jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_type_seq ON events (type, seq);

-- The topic rule of @azora/contracts' topicMatches, as a LIKE pattern: `*` matches every type,
-- `prefix.*` every type starting with `prefix.`, anything else only itself (LIKE's own wildcards
-- escaped). Queries match with `type LIKE ANY (ARRAY(SELECT topic_pattern(t) FROM unnest(...)))`:
-- the patterns are computed once per query, and the per-row test stays a cheap LIKE.
CREATE FUNCTION topic_pattern(topic text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT CASE
    WHEN topic = '*' THEN '%'
    WHEN right(topic, 2) = '.*' THEN replace(replace(replace(left(topic, -1), '\', '\\'), '%', '\%'), '_', '\_') || '%'
    ELSE replace(replace(replace(topic, '\', '\\'), '%', '\%'), '_', '\_')
  END
$$;
