-- What Woodpecker needs that Shoal lacked: approval gating, restarts with variables, registries,
-- global secrets with image filters, organization agents, a pausable queue.

-- Pipelines: variables given at a restart or manual trigger (handed to steps as environment), the
-- pipeline it restarts, and who approved or declined a blocked one.
ALTER TABLE pipeline ADD COLUMN variables   JSONB NOT NULL DEFAULT '{}';
ALTER TABLE pipeline ADD COLUMN parent      INTEGER NOT NULL DEFAULT 0;
ALTER TABLE pipeline ADD COLUMN reviewed_by TEXT;
ALTER TABLE pipeline ADD COLUMN reviewed_at TIMESTAMPTZ;
ALTER TABLE pipeline ADD COLUMN deploy_to   TEXT;
CREATE INDEX pipeline_blocked ON pipeline (id) WHERE status = 'blocked';
CREATE INDEX pipeline_repo_branch ON pipeline (repo_id, branch, number DESC);

-- Secrets: scope 'global' (owner 0) besides 'repo' and 'org'; 'images' limits them to steps whose
-- image is listed (empty: every step).
ALTER TABLE secret ADD COLUMN images TEXT[] NOT NULL DEFAULT '{}';

-- Container registry credentials of a repository, an organization or the whole server; the
-- password is sealed with the secrets' key and never shown.
CREATE TABLE registry (
    id         BIGSERIAL PRIMARY KEY,
    scope      TEXT        NOT NULL,
    owner_id   BIGINT      NOT NULL,
    address    TEXT        NOT NULL,
    username   TEXT        NOT NULL,
    nonce      BYTEA       NOT NULL,
    ciphertext BYTEA       NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (scope, owner_id, address)
);

-- Agents: an organization's own (they take only that organization's pipelines), and agents told
-- to take no new work.
ALTER TABLE agent ADD COLUMN org_id       BIGINT;
ALTER TABLE agent ADD COLUMN no_schedule  BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE agent ADD COLUMN capacity     INTEGER NOT NULL DEFAULT 1;
ALTER TABLE agent ADD COLUMN backend      TEXT;
ALTER TABLE agent ADD COLUMN version      TEXT;
ALTER TABLE agent ADD COLUMN updated_at   TIMESTAMPTZ NOT NULL DEFAULT now();
ALTER TABLE agent ADD COLUMN last_work_at TIMESTAMPTZ;
CREATE INDEX agent_by_org ON agent (org_id) WHERE org_id IS NOT NULL;

-- One row: whether the queue hands out work. A paused queue keeps accepting pipelines.
CREATE TABLE queue_state (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    paused     BOOLEAN NOT NULL DEFAULT false,
    changed_by TEXT,
    changed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO queue_state (id, paused) VALUES (1, false);
