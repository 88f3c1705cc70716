-- SSH public keys (issue 23): a user's keys, and deploy keys that belong to one repository.
-- A fingerprint is unique across the site, so one key always names one owner.
CREATE TABLE ssh_keys (
    id           BIGSERIAL PRIMARY KEY,
    user_id      BIGINT      REFERENCES users (id) ON DELETE CASCADE,
    repo_id      BIGINT,
    title        TEXT        NOT NULL,
    public_key   TEXT        NOT NULL,
    fingerprint  TEXT        NOT NULL,
    read_only    BOOLEAN     NOT NULL DEFAULT TRUE,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_used_at TIMESTAMPTZ,
    CHECK ((user_id IS NULL) <> (repo_id IS NULL))
);
CREATE UNIQUE INDEX ssh_keys_fingerprint_key ON ssh_keys (fingerprint);
CREATE INDEX ssh_keys_user ON ssh_keys (user_id);
CREATE INDEX ssh_keys_repo ON ssh_keys (repo_id);
