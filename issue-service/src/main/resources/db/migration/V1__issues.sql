-- issue-service schema. The outbox and applied_event tables come from platform (db/platform).

-- What this service knows of a repository (filled on first write from repo-service, kept fresh by
-- shoal.repo events). last_number is the per-repository counter shared by issues and pull
-- requests: bumped with UPDATE ... RETURNING inside the creating transaction, so two creates never
-- get the same number and a number is never reused.
CREATE TABLE repository (
    id                 BIGINT PRIMARY KEY,
    org                TEXT        NOT NULL,
    name               TEXT        NOT NULL,
    is_private         BOOLEAN     NOT NULL DEFAULT false,
    default_branch     TEXT        NOT NULL DEFAULT 'main',
    last_number        BIGINT      NOT NULL DEFAULT 0,
    required_approvals INT         NOT NULL DEFAULT 0,
    deleted_at         TIMESTAMPTZ
);

-- Profiles copied from shoal.identity user.* events (and from gateway look-ups of assignees).
CREATE TABLE users (
    id           BIGINT PRIMARY KEY,
    username     TEXT        NOT NULL,
    email        TEXT,
    display_name TEXT,
    is_admin     BOOLEAN     NOT NULL DEFAULT false,
    avatar_url   TEXT,
    created_at   TIMESTAMPTZ,
    active       BOOLEAN     NOT NULL DEFAULT true
);

CREATE TABLE milestone (
    id          BIGSERIAL PRIMARY KEY,
    repo_id     BIGINT      NOT NULL REFERENCES repository (id),
    title       TEXT        NOT NULL,
    description TEXT        NOT NULL DEFAULT '',
    due_on      TIMESTAMPTZ,
    state       TEXT        NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX milestone_title ON milestone (repo_id, lower(title));

CREATE TABLE issue (
    id           BIGSERIAL PRIMARY KEY,
    repo_id      BIGINT      NOT NULL REFERENCES repository (id),
    number       BIGINT      NOT NULL,
    title        TEXT        NOT NULL,
    body         TEXT        NOT NULL DEFAULT '',
    state        TEXT        NOT NULL CHECK (state IN ('new', 'open', 'closed')),
    author_id    BIGINT,
    author_login TEXT,
    is_pinned    BOOLEAN     NOT NULL DEFAULT false,
    milestone_id BIGINT REFERENCES milestone (id) ON DELETE SET NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    closed_at    TIMESTAMPTZ,
    deleted      BOOLEAN     NOT NULL DEFAULT false,
    UNIQUE (repo_id, number)
);
-- The list query: one repository, one state, pinned first, newest first, a page at a time.
CREATE INDEX issue_list ON issue (repo_id, state, is_pinned DESC, number DESC) WHERE NOT deleted;

CREATE TABLE issue_comment (
    id           BIGSERIAL PRIMARY KEY,
    issue_id     BIGINT      NOT NULL REFERENCES issue (id) ON DELETE CASCADE,
    body         TEXT        NOT NULL,
    author_id    BIGINT,
    author_login TEXT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX issue_comment_issue ON issue_comment (issue_id, id);

CREATE TABLE label (
    id          BIGSERIAL PRIMARY KEY,
    repo_id     BIGINT      NOT NULL REFERENCES repository (id),
    name        TEXT        NOT NULL,
    color       TEXT        NOT NULL,
    description TEXT        NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX label_name ON label (repo_id, lower(name));

CREATE TABLE issue_label (
    issue_id BIGINT NOT NULL REFERENCES issue (id) ON DELETE CASCADE,
    label_id BIGINT NOT NULL REFERENCES label (id) ON DELETE CASCADE,
    PRIMARY KEY (issue_id, label_id)
);
CREATE INDEX issue_label_label ON issue_label (label_id);

CREATE TABLE issue_assignee (
    issue_id BIGINT NOT NULL REFERENCES issue (id) ON DELETE CASCADE,
    user_id  BIGINT NOT NULL,
    username TEXT   NOT NULL,
    PRIMARY KEY (issue_id, user_id)
);

CREATE TABLE pull_request (
    id            BIGSERIAL PRIMARY KEY,
    repo_id       BIGINT      NOT NULL REFERENCES repository (id),
    number        BIGINT      NOT NULL,
    title         TEXT        NOT NULL,
    body          TEXT        NOT NULL DEFAULT '',
    status        TEXT        NOT NULL CHECK (status IN ('open', 'closed', 'merged')),
    author_id     BIGINT,
    author_login  TEXT,
    source_branch TEXT        NOT NULL,
    target_branch TEXT        NOT NULL,
    head_sha      TEXT        NOT NULL,
    base_sha      TEXT        NOT NULL,
    merge_commit  TEXT,
    merged_by     BIGINT,
    merged_by_login TEXT,
    merged_at     TIMESTAMPTZ,
    closed_at     TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted       BOOLEAN     NOT NULL DEFAULT false,
    UNIQUE (repo_id, number)
);
CREATE INDEX pull_request_list ON pull_request (repo_id, status, number DESC) WHERE NOT deleted;
-- repo.pushed looks up the open pull requests of one source (or target) branch.
CREATE INDEX pull_request_source ON pull_request (repo_id, source_branch) WHERE status = 'open';
CREATE INDEX pull_request_target ON pull_request (repo_id, target_branch) WHERE status = 'open';

CREATE TABLE pull_comment (
    id           BIGSERIAL PRIMARY KEY,
    pull_id      BIGINT      NOT NULL REFERENCES pull_request (id) ON DELETE CASCADE,
    body         TEXT        NOT NULL,
    author_id    BIGINT,
    author_login TEXT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX pull_comment_pull ON pull_comment (pull_id, id);

-- A review is tied to the head it was given on: a push makes older approvals stale.
CREATE TABLE pull_review (
    id           BIGSERIAL PRIMARY KEY,
    pull_id      BIGINT      NOT NULL REFERENCES pull_request (id) ON DELETE CASCADE,
    state        TEXT        NOT NULL CHECK (state IN ('approve', 'request_changes', 'comment')),
    body         TEXT        NOT NULL DEFAULT '',
    commit_sha   TEXT        NOT NULL,
    author_id    BIGINT      NOT NULL,
    author_login TEXT,
    is_member    BOOLEAN     NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX pull_review_pull ON pull_review (pull_id, id);

CREATE TABLE pull_review_comment (
    id         BIGSERIAL PRIMARY KEY,
    review_id  BIGINT NOT NULL REFERENCES pull_review (id) ON DELETE CASCADE,
    path       TEXT   NOT NULL,
    line       INT    NOT NULL,
    body       TEXT   NOT NULL,
    commit_sha TEXT   NOT NULL
);
CREATE INDEX pull_review_comment_review ON pull_review_comment (review_id, id);
