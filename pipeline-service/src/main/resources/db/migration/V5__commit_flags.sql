-- Commit flags: results that outside tools (and Pagure clients) attach to a commit, next to the
-- pipelines this service runs. Added or updated by uid: a uid names one flag of one commit, so a
-- tool re-reporting the same check on the same commit updates its flag, and a new head (a push to
-- a pull request) starts with none.
CREATE TABLE commit_flag (
    id          BIGSERIAL PRIMARY KEY,
    repo_id     BIGINT      NOT NULL,
    commit_sha  TEXT        NOT NULL CHECK (commit_sha ~ '^[0-9a-f]{40}$'),
    uid         TEXT        NOT NULL CHECK (length(uid) BETWEEN 1 AND 32),
    username    TEXT        NOT NULL,
    comment     TEXT        NOT NULL,
    url         TEXT        NOT NULL,
    status      TEXT        NOT NULL CHECK (status IN ('success', 'failure', 'error', 'pending', 'canceled')),
    percent     INT         CHECK (percent BETWEEN 0 AND 100),
    user_id     BIGINT,
    user_login  TEXT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (repo_id, commit_sha, uid)
);
CREATE INDEX commit_flag_commit ON commit_flag (repo_id, commit_sha, created_at, id);
