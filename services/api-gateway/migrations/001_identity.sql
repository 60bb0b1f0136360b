-- Identity owned by the gateway: users and their password hashes, refresh tokens (stored as
-- hashes, grouped in families for reuse detection) and the keys that sign access tokens.
CREATE TABLE users (
  id uuid PRIMARY KEY,
  -- Stored lower-cased by the application; the unique index makes case-insensitive uniqueness
  -- hold even for rows written some other way.
  email text NOT NULL,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('student', 'instructor', 'employer', 'admin')),
  -- scrypt$<log2 N>$<r>$<p>$<salt b64>$<key b64>: the parameters travel with the hash.
  password_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_unique ON users (lower(email));

-- One row per refresh token ever issued. A token is used once: refreshing marks it used and
-- issues its successor in the same family; presenting a used token revokes the whole family.
CREATE TABLE refresh_tokens (
  id uuid PRIMARY KEY,
  family_id uuid NOT NULL,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- SHA-256 of the opaque token: the token itself is never stored.
  token_hash bytea NOT NULL UNIQUE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_live ON refresh_tokens (user_id) WHERE revoked_at IS NULL;

-- Ed25519 keys that sign user access tokens, when no GATEWAY_SIGNING_KEY_FILE is given. The
-- newest key signs; older ones stay published until every token they signed has expired.
CREATE TABLE signing_keys (
  kid text PRIMARY KEY,
  private_key_pem text NOT NULL,
  public_jwk jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  -- When a newer key took over signing; null while this key is the one that signs.
  retired_at timestamptz
);
CREATE INDEX signing_keys_created ON signing_keys (created_at DESC);
