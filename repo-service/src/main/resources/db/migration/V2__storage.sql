-- Code Storage repositories: a repository row (org = the issuer's name) plus the id the issuer
-- uses for it, which may contain '/' and so cannot be the repository name itself.
CREATE TABLE storage_repository (
    repo_id    BIGINT PRIMARY KEY REFERENCES repository (id) ON DELETE CASCADE,
    issuer     TEXT NOT NULL,
    storage_id TEXT NOT NULL
);
CREATE UNIQUE INDEX storage_repository_issuer_id ON storage_repository (issuer, storage_id);
