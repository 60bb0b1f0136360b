-- The newest-first walk of recommendations reads each open job's skills and employer: carried in
-- the board's index, the walk is an index-only scan and only the page's jobs are read from the heap.
DROP INDEX jobs_open_recent;
CREATE INDEX jobs_open_recent ON jobs (posted_at DESC, id DESC) INCLUDE (skills, employer_id) WHERE status = 'open';
