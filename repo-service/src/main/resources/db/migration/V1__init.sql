-- repo-service schema; the outbox and applied_event tables come from platform (db/platform).
CREATE TABLE repository (
    id             BIGSERIAL PRIMARY KEY,
    org_id         BIGINT      NOT NULL,
    org            TEXT        NOT NULL,
    name           TEXT        NOT NULL,
    description    TEXT        NOT NULL DEFAULT '',
    is_private     BOOLEAN     NOT NULL DEFAULT false,
    default_branch TEXT        NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- Names are unique per organization regardless of case, as on every forge clients know.
CREATE UNIQUE INDEX repository_org_name ON repository (lower(org), lower(name));

-- Every ref move, written before the ref moves (event_emitted = false) and marked once its
-- repo.pushed event is in the outbox. Reconciliation compares git's refs with the newest emitted
-- row per ref and emits whatever is missing.
CREATE TABLE ref_journal (
    id            BIGSERIAL PRIMARY KEY,
    repo_id       BIGINT      NOT NULL,
    ref           TEXT        NOT NULL,
    old_sha       CHAR(40)    NOT NULL,
    new_sha       CHAR(40)    NOT NULL,
    event_emitted BOOLEAN     NOT NULL DEFAULT false,
    pusher_id     BIGINT,
    pusher_login  TEXT,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX ref_journal_repo_ref ON ref_journal (repo_id, ref, id);

CREATE TABLE branch_protection (
    repo_id    BIGINT      NOT NULL REFERENCES repository (id) ON DELETE CASCADE,
    branch     TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (repo_id, branch)
);

CREATE TABLE release (
    id           BIGSERIAL PRIMARY KEY,
    repo_id      BIGINT      NOT NULL REFERENCES repository (id) ON DELETE CASCADE,
    tag_name     TEXT        NOT NULL,
    name         TEXT        NOT NULL DEFAULT '',
    body         TEXT        NOT NULL DEFAULT '',
    draft        BOOLEAN     NOT NULL DEFAULT false,
    prerelease   BOOLEAN     NOT NULL DEFAULT false,
    author_id    BIGINT,
    author_login TEXT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    published_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX release_repo_tag ON release (repo_id, tag_name);

CREATE TABLE release_asset (
    id           BIGSERIAL PRIMARY KEY,
    release_id   BIGINT      NOT NULL REFERENCES release (id) ON DELETE CASCADE,
    repo_id      BIGINT      NOT NULL,
    name         TEXT        NOT NULL,
    size         BIGINT      NOT NULL,
    content_type TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX release_asset_release ON release_asset (release_id, id);
