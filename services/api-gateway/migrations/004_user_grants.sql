-- Grants: permissions an admin gives a user on top of their one role (today `analytics:read`).
-- Access tokens carry them from their next issue (login, register, refresh). The application
-- validates the names against the contracts' UserGrant; an empty array is no grants.
ALTER TABLE users ADD COLUMN grants text[] NOT NULL DEFAULT '{}';
