-- pipeline-service schema; outbox_event and applied_event come from platform (db/platform).

-- The repositories this service knows, copied from repo.* events so lists and clone URLs need no callback.
CREATE TABLE repos (
    id             BIGINT PRIMARY KEY,
    org_id         BIGINT,
    org            TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    is_private     BOOLEAN NOT NULL DEFAULT false,
    default_branch TEXT    NOT NULL DEFAULT 'main',
    deleted        BOOLEAN NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX repos_by_name ON repos (org, name) WHERE NOT deleted;

-- Per-repository pipeline numbers: one row per repository, incremented under its row lock.
CREATE TABLE pipeline_counter (
    repo_id     BIGINT PRIMARY KEY,
    last_number INTEGER NOT NULL
);

CREATE TABLE pipeline (
    id               BIGSERIAL PRIMARY KEY,
    repo_id          BIGINT      NOT NULL,
    number           INTEGER     NOT NULL,
    commit_node      TEXT        NOT NULL,
    branch           TEXT        NOT NULL,
    ref              TEXT        NOT NULL,
    event            TEXT        NOT NULL,
    status           TEXT        NOT NULL,
    error            TEXT,
    config_file      TEXT,
    fork             BOOLEAN     NOT NULL DEFAULT false,
    trigger_by       BIGINT,
    trigger_username TEXT,
    labels           JSONB       NOT NULL DEFAULT '{}',
    platform         TEXT,
    agent_id         BIGINT,
    lease_expires_at TIMESTAMPTZ,
    cancel_delivered BOOLEAN     NOT NULL DEFAULT true,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_at       TIMESTAMPTZ,
    finished_at      TIMESTAMPTZ,
    UNIQUE (repo_id, number)
);
CREATE INDEX pipeline_queue ON pipeline (id) WHERE status = 'pending';
CREATE INDEX pipeline_leases ON pipeline (lease_expires_at) WHERE status = 'running';
CREATE INDEX pipeline_by_agent ON pipeline (agent_id) WHERE agent_id IS NOT NULL;

CREATE TABLE step (
    id          BIGSERIAL PRIMARY KEY,
    pipeline_id BIGINT  NOT NULL REFERENCES pipeline (id) ON DELETE CASCADE,
    number      INTEGER NOT NULL,
    name        TEXT    NOT NULL,
    image       TEXT,
    commands    JSONB   NOT NULL DEFAULT '[]',
    environment JSONB   NOT NULL DEFAULT '{}',
    secrets     JSONB   NOT NULL DEFAULT '{}',
    depends_on  JSONB   NOT NULL DEFAULT '[]',
    run_on      JSONB   NOT NULL DEFAULT '["success"]',
    status      TEXT    NOT NULL,
    exit_code   INTEGER,
    started_at  TIMESTAMPTZ,
    finished_at TIMESTAMPTZ,
    log_size    BIGINT  NOT NULL DEFAULT 0,
    log_chunks  INTEGER NOT NULL DEFAULT 0,
    UNIQUE (pipeline_id, number)
);

-- Step logs live here, never in the pipeline or step rows: appended in chunks, read by offset.
CREATE TABLE log_chunk (
    step_id     BIGINT  NOT NULL REFERENCES step (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    byte_offset BIGINT  NOT NULL,
    bytes       BYTEA   NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (step_id, seq)
);

CREATE TABLE agent (
    id           BIGSERIAL PRIMARY KEY,
    name         TEXT        NOT NULL UNIQUE,
    labels       JSONB       NOT NULL DEFAULT '{}',
    platform     TEXT,
    token_lookup TEXT        NOT NULL UNIQUE,
    token_hash   BYTEA       NOT NULL,
    created_by   BIGINT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen_at TIMESTAMPTZ
);

-- Secrets of a repository (scope 'repo', owner = repo id) or an organization (scope 'org', owner = org id).
CREATE TABLE secret (
    id         BIGSERIAL PRIMARY KEY,
    scope      TEXT        NOT NULL,
    owner_id   BIGINT      NOT NULL,
    org_name   TEXT,
    name       TEXT        NOT NULL,
    nonce      BYTEA       NOT NULL,
    ciphertext BYTEA       NOT NULL,
    events     TEXT[]      NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (scope, owner_id, name)
);

CREATE TABLE cron (
    id          BIGSERIAL PRIMARY KEY,
    repo_id     BIGINT      NOT NULL,
    name        TEXT        NOT NULL,
    schedule    TEXT        NOT NULL,
    branch      TEXT,
    next_run_at TIMESTAMPTZ NOT NULL,
    last_run_at TIMESTAMPTZ,
    created_by  BIGINT,
    created_by_username TEXT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (repo_id, name)
);
CREATE INDEX cron_due ON cron (next_run_at);
