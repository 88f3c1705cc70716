-- Pagure API v0: facts Pagure keeps about a project that Shoal's repository row does not.
-- A repository without a pagure_project row is a plain Shoal repository: its organization is its owner.
CREATE TABLE pagure_project (
    repo_id       BIGINT PRIMARY KEY REFERENCES repository (id) ON DELETE CASCADE,
    -- Pagure's owner ("main admin"): a user login; null means the organization.
    main_admin    TEXT,
    -- Forks: the parent repository and the user who forked it (the fork is named <repo>--fork--<user>).
    parent_id     BIGINT REFERENCES repository (id) ON DELETE SET NULL,
    fork_user     TEXT,
    -- Pagure's project options, only the keys changed from their defaults.
    settings      JSONB  NOT NULL DEFAULT '{}',
    blocked_users TEXT[] NOT NULL DEFAULT '{}',
    tags          TEXT[] NOT NULL DEFAULT '{}'
);
CREATE INDEX pagure_project_parent ON pagure_project (parent_id);

-- Pagure ACLs: users (by login) and groups (Shoal organizations, by name) with ticket, commit or admin.
CREATE TABLE pagure_acl (
    repo_id  BIGINT NOT NULL REFERENCES repository (id) ON DELETE CASCADE,
    kind     TEXT   NOT NULL CHECK (kind IN ('user', 'group')),
    name     TEXT   NOT NULL,
    level    TEXT   NOT NULL CHECK (level IN ('ticket', 'commit', 'admin')),
    PRIMARY KEY (repo_id, kind, name)
);
CREATE INDEX pagure_acl_name ON pagure_acl (kind, lower(name));

-- Watch status per user: Pagure's codes 1 (issues), 2 (commits), 3 (both), 0 (explicitly unwatched).
CREATE TABLE pagure_watcher (
    repo_id  BIGINT  NOT NULL REFERENCES repository (id) ON DELETE CASCADE,
    username TEXT    NOT NULL,
    issues   BOOLEAN NOT NULL,
    commits  BOOLEAN NOT NULL,
    PRIMARY KEY (repo_id, username)
);

-- Asynchronous Pagure calls (wait=false): the task id answered to the client and its outcome.
CREATE TABLE pagure_task (
    id          UUID PRIMARY KEY,
    kind        TEXT        NOT NULL,
    user_id     BIGINT,
    status      TEXT        NOT NULL CHECK (status IN ('PENDING', 'SUCCESS', 'FAILURE')),
    message     TEXT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at TIMESTAMPTZ
);
