-- Runs once, when compose's PostgreSQL initialises an empty data volume (the image runs every
-- file of /docker-entrypoint-initdb.d, as the superuser, in the POSTGRES_DB database). Roles,
-- schemas and migrations are not made here: the bootstrap one-shot (azora-ops bootstrap) makes
-- them, idempotently, on every `up`, so a new service or a changed password needs no new volume.

-- Every service owns a schema of its own; nobody creates objects in public.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- Per-query statistics for operators (compose preloads the library with shared_preload_libraries).
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
