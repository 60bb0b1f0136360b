-- Notification's tables: who can be notified (from identity.user.registered), what each user
-- was told (the inbox), how each email and push message went out (a job per notification and
-- channel, with every attempt logged), preferences, push subscriptions, and the mail the
-- embedded sink caught.

-- One row per user this service has heard of. `last_seq` numbers the user's notifications:
-- bumping it takes the row lock, so one user's notifications get gap-free numbers in commit
-- order, which is what the stream resumes from (Last-Event-ID).
CREATE TABLE recipients (
  user_id uuid PRIMARY KEY,
  email text,
  name text,
  role text,
  last_seq bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

-- Course titles from education.course.published, so notifications can name the course.
CREATE TABLE courses (
  course_id uuid PRIMARY KEY,
  title text NOT NULL
);

CREATE TABLE notifications (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES recipients (user_id),
  seq bigint NOT NULL,
  kind text NOT NULL,
  -- The event it came from: one notification per event and user.
  event_id uuid NOT NULL,
  title text NOT NULL,
  body text NOT NULL,
  data jsonb NOT NULL DEFAULT '{}',
  -- False when the user switched the inbox off for this kind: email or push only.
  in_app boolean NOT NULL,
  created_at timestamptz NOT NULL,
  read_at timestamptz,
  CONSTRAINT notifications_user_seq UNIQUE (user_id, seq),
  CONSTRAINT notifications_event_user UNIQUE (event_id, user_id)
);
-- The inbox: unread first, then newest first.
CREATE INDEX notifications_inbox ON notifications (user_id, (read_at IS NOT NULL), seq DESC) WHERE in_app;
CREATE INDEX notifications_unread ON notifications (user_id) WHERE in_app AND read_at IS NULL;

-- One job per (notification, channel) for email and push. `lease_until` is set while a worker
-- is sending; a job whose lease ran out (its worker died) is claimed again.
CREATE TABLE deliveries (
  id uuid PRIMARY KEY,
  notification_id uuid NOT NULL REFERENCES notifications (id),
  user_id uuid NOT NULL,
  kind text NOT NULL,
  channel text NOT NULL CHECK (channel IN ('email', 'push')),
  status text NOT NULL CHECK (status IN ('pending', 'sending', 'delivered', 'failed')),
  -- What to send, rendered when the notification was created (subject, text, html / title, body, url).
  content jsonb NOT NULL,
  -- Attempts so far, numbered on across an admin's retry; the retry starts a fresh budget at
  -- `budget_from`, the number of its first attempt.
  attempts integer NOT NULL DEFAULT 0,
  budget_from integer NOT NULL DEFAULT 1,
  next_attempt_at timestamptz,
  lease_until timestamptz,
  last_error text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  finished_at timestamptz,
  CONSTRAINT deliveries_notification_channel UNIQUE (notification_id, channel)
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_leased ON deliveries (lease_until) WHERE status = 'sending';
CREATE INDEX deliveries_listing ON deliveries (created_at DESC, id DESC);

CREATE TABLE delivery_attempts (
  delivery_id uuid NOT NULL REFERENCES deliveries (id),
  attempt integer NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('delivered', 'retry', 'failed')),
  detail text,
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL,
  PRIMARY KEY (delivery_id, attempt)
);

-- Switches a user changed; no row means the kind's default.
CREATE TABLE preferences (
  user_id uuid NOT NULL,
  kind text NOT NULL,
  channel text NOT NULL CHECK (channel IN ('in_app', 'email', 'push')),
  enabled boolean NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, kind, channel)
);

-- A browser's push subscription. The endpoint names the browser: when another user signs in
-- there and subscribes, the subscription moves to them.
CREATE TABLE push_subscriptions (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL,
  endpoint text NOT NULL UNIQUE,
  p256dh text NOT NULL,
  auth text NOT NULL,
  expiration_time timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX push_subscriptions_user ON push_subscriptions (user_id, created_at);

-- Mail caught by the embedded SMTP sink (only where SMTP_URL is unset).
CREATE TABLE mails (
  id uuid PRIMARY KEY,
  message_id text,
  envelope_from text NOT NULL,
  envelope_to text[] NOT NULL,
  subject text NOT NULL,
  text_body text,
  html_body text,
  size integer NOT NULL,
  received_at timestamptz NOT NULL
);
CREATE INDEX mails_received ON mails (received_at DESC, id DESC);
CREATE INDEX mails_recipient ON mails USING gin (envelope_to);
