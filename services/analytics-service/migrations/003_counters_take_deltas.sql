-- The counters are changed by upserting a batch's summed delta, which is negative when people
-- merge or move to an earlier cohort. PostgreSQL checks a CHECK constraint on the proposed row
-- before ON CONFLICT turns it into an update, so `>= 0` refused every negative delta, even
-- when the counter it updates stays positive. The equality of incremental and rebuilt
-- roll-ups is held by the tests instead.
ALTER TABLE active_counts DROP CONSTRAINT active_counts_users_check;
ALTER TABLE event_counts DROP CONSTRAINT event_counts_events_check;
ALTER TABLE retention_counts DROP CONSTRAINT retention_counts_users_check;
