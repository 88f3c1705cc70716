-- Code Storage upstreams other than GitHub (gitlab, bitbucket, gitea, forgejo, codeberg, sr.ht): the
-- host the base repository lives on (a bare, allow-listed hostname; null for rows made before this).
ALTER TABLE storage_repository ADD COLUMN base_host TEXT;

-- SDK createGitCredential: at most one upstream credential per storage repository, owned by the
-- issuer. The password is needed again for fetching, so it is sealed (AES-256-GCM, the credential id
-- as associated data, key shoal.repo.storage.credential-key), never hashed and never stored in clear.
CREATE TABLE storage_git_credential (
    id         TEXT PRIMARY KEY,
    repo_id    BIGINT NOT NULL UNIQUE REFERENCES repository (id) ON DELETE CASCADE,
    issuer     TEXT NOT NULL,
    username   TEXT,
    nonce      BYTEA NOT NULL,
    ciphertext BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX storage_git_credential_issuer ON storage_git_credential (issuer);
