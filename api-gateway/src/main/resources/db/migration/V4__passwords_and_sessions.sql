-- Passwords for signing in to the web interface (bcrypt, never in clear), kept apart from users so
-- that user listings can never carry a hash. Sessions are api_tokens of kind 'session': they expire,
-- are listed among the user's tokens and are revoked like any other token.
CREATE TABLE user_passwords (
    user_id    BIGINT      PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    hash       TEXT        NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

ALTER TABLE api_tokens ADD COLUMN kind TEXT NOT NULL DEFAULT 'api';
