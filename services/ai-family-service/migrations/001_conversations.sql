-- AI Family: conversations and their messages (a reply streams into its row: content and chunk
-- ends grow in batches while status is 'streaming'), each user's token budget per UTC day, and
-- the offline tutor's index of published lesson content.
CREATE TABLE conversations (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL,
  persona_id text,
  title text NOT NULL,
  message_count integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX conversations_user ON conversations (user_id, updated_at DESC, id DESC);

CREATE TABLE messages (
  id uuid PRIMARY KEY,
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  role text NOT NULL CHECK (role IN ('user', 'assistant')),
  content text NOT NULL DEFAULT '',
  chunk_ends integer[] NOT NULL DEFAULT '{}',
  status text NOT NULL CHECK (status IN ('streaming', 'complete', 'cancelled', 'failed')),
  persona_id text,
  routing jsonb,
  consulted text[] NOT NULL DEFAULT '{}',
  provider text,
  model text,
  prompt_tokens integer,
  completion_tokens integer,
  citations jsonb NOT NULL DEFAULT '[]',
  error_code text,
  reserved_tokens integer NOT NULL DEFAULT 0,
  budget_day date,
  cancel_requested boolean NOT NULL DEFAULT false,
  heartbeat_at timestamptz,
  created_at timestamptz NOT NULL,
  completed_at timestamptz
);
CREATE INDEX messages_conversation ON messages (conversation_id, seq);
-- One reply in progress per conversation; and the sweep for replies whose process died.
CREATE UNIQUE INDEX messages_one_streaming ON messages (conversation_id) WHERE status = 'streaming';
CREATE INDEX messages_streaming ON messages (heartbeat_at) WHERE status = 'streaming';

CREATE TABLE usage_budgets (
  user_id uuid NOT NULL,
  day date NOT NULL,
  used_tokens bigint NOT NULL DEFAULT 0 CHECK (used_tokens >= 0),
  reserved_tokens bigint NOT NULL DEFAULT 0 CHECK (reserved_tokens >= 0),
  PRIMARY KEY (user_id, day)
);

CREATE TABLE indexed_courses (
  course_id uuid PRIMARY KEY,
  title text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'indexed', 'gone')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  last_error text,
  indexed_at timestamptz,
  created_at timestamptz NOT NULL
);
CREATE INDEX indexed_courses_due ON indexed_courses (next_attempt_at) WHERE status = 'pending';

CREATE TABLE passages (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  course_id uuid NOT NULL,
  course_title text NOT NULL,
  lesson_id uuid NOT NULL,
  lesson_title text NOT NULL,
  lesson_position integer NOT NULL,
  part integer NOT NULL,
  body text NOT NULL,
  -- Lesson title above course title above the text, as a reader would weigh them.
  search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', lesson_title), 'A') ||
    setweight(to_tsvector('english', course_title), 'B') ||
    setweight(to_tsvector('english', body), 'C')
  ) STORED,
  UNIQUE (lesson_id, part)
);
CREATE INDEX passages_search ON passages USING GIN (search);
CREATE INDEX passages_course ON passages (course_id);
