-- Monitoring's health history: every probe (kept MONITORING_RETENTION_HOURS), each service's
-- current verdict, hourly counts behind uptime and the strips (kept MONITORING_HISTORY_DAYS),
-- and incidents: a service down, from its first failed check to its first good one.
CREATE TABLE probes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  service text NOT NULL,
  checked_at timestamptz NOT NULL,
  ready boolean NOT NULL,
  latency_ms integer NOT NULL CHECK (latency_ms >= 0),
  reason text,
  version text
);
CREATE INDEX probes_by_service ON probes (service, checked_at DESC, id DESC);
CREATE INDEX probes_by_time ON probes (checked_at);

CREATE TABLE service_states (
  service text PRIMARY KEY,
  status text NOT NULL CHECK (status IN ('healthy', 'degraded', 'unhealthy')),
  since timestamptz NOT NULL,
  reason text,
  latency_ms integer NOT NULL,
  version text,
  checked_at timestamptz NOT NULL
);

CREATE TABLE uptime_hours (
  service text NOT NULL,
  hour timestamptz NOT NULL,
  checks integer NOT NULL DEFAULT 0,
  ready integer NOT NULL DEFAULT 0,
  degraded integer NOT NULL DEFAULT 0,
  unhealthy integer NOT NULL DEFAULT 0,
  PRIMARY KEY (service, hour)
);
CREATE INDEX uptime_hours_by_hour ON uptime_hours (hour);

CREATE TABLE incidents (
  id uuid PRIMARY KEY,
  service text NOT NULL,
  started_at timestamptz NOT NULL,
  ended_at timestamptz,
  cause text NOT NULL,
  CHECK (ended_at IS NULL OR ended_at >= started_at)
);
-- At most one open incident per service, whatever number of monitoring instances probe.
CREATE UNIQUE INDEX incidents_one_open ON incidents (service) WHERE ended_at IS NULL;
CREATE INDEX incidents_newest ON incidents (started_at DESC, id DESC);
