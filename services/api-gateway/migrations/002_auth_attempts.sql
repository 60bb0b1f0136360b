-- Counters of sign-in attempts (per client address, per email, per account), shared by every
-- gateway instance. The shape is rate-limiter-flexible's PostgreSQL store: key, points (the
-- count), expire (ms since the epoch; null never expires). Keys are SHA-256 of what they count,
-- prefixed with the counter's name.
CREATE TABLE auth_attempts (
  key text PRIMARY KEY,
  points integer NOT NULL DEFAULT 0,
  expire bigint
);
CREATE INDEX auth_attempts_expire ON auth_attempts (expire);
