-- Roll-ups move off the request path. A batch's transaction stores its raw events and one row
-- here listing those stored now; a single roller (one at a time across instances) takes many
-- rows at once, updates the roll-ups from their summed effect and deletes them, in one
-- transaction. Ingest no longer touches a shared row, and the roll-up work of fifty batches
-- costs little more than that of one.
CREATE TABLE rollup_queue (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  queued_at timestamptz NOT NULL,
  -- The batch's new events as the roller reads them (src/db/rollup-queue.ts): JSON kept as text,
  -- which costs the writer nothing to store and the roller little to parse.
  events text NOT NULL
);

-- An identified visitor's raw events keep the visitor's key; readers resolve it through
-- persons.merged_into (a small index), so nothing rewrites raw events when someone signs in.
DROP INDEX events_anonymous_person;
CREATE INDEX persons_merged ON persons (person_id) INCLUDE (merged_into) WHERE merged_into IS NOT NULL;
