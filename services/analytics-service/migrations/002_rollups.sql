-- Roll-ups, kept up to date in the transaction that stores the raw events, so that reports
-- read a few rows per bucket instead of scanning raw events. They outlive raw retention.

-- Everyone ever seen: a user (their id) or an anonymous visitor (md5('anonymous:' || id)).
-- first_seen places a person in a retention cohort. A visitor who identified is merged into
-- the user (merged_into): their activity now counts as the user's.
CREATE TABLE persons (
  person_id uuid PRIMARY KEY,
  first_seen timestamptz NOT NULL,
  merged_into uuid,
  merged_at timestamptz
);

-- Each UTC day, ISO week (its Monday) and month (its first day) a person was active in.
CREATE TABLE active_persons (
  person_id uuid NOT NULL,
  period text NOT NULL CHECK (period IN ('day', 'week', 'month')),
  bucket date NOT NULL,
  PRIMARY KEY (person_id, period, bucket)
);

-- Distinct people active per bucket: DAU, WAU and MAU.
CREATE TABLE active_counts (
  period text NOT NULL CHECK (period IN ('day', 'week', 'month')),
  bucket date NOT NULL,
  users bigint NOT NULL CHECK (users >= 0),
  PRIMARY KEY (period, bucket)
);

-- Events stored per name and UTC hour.
CREATE TABLE event_counts (
  name text COLLATE "C" NOT NULL,
  hour timestamptz NOT NULL,
  events bigint NOT NULL CHECK (events >= 0),
  PRIMARY KEY (name, hour)
);
CREATE INDEX event_counts_hour ON event_counts (hour);

-- People of the cohort first seen in week `cohort` who were active in week `week`.
CREATE TABLE retention_counts (
  cohort date NOT NULL,
  week date NOT NULL,
  users bigint NOT NULL CHECK (users >= 0),
  PRIMARY KEY (cohort, week)
);
