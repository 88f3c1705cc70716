-- What Pagure's issue tracker has and Shoal's lacked: close statuses beside the closed state,
-- private issues, priorities, custom fields, subscribers, and per-project tracker settings; for pull
-- requests a global uid and an assignee.

-- Kept beside state = 'closed' so no information is lost between the two APIs: the Isurus API shows
-- 'closed', Pagure shows 'Closed' with close_status. Reopening clears it (IssueRepository.update).
ALTER TABLE issue ADD COLUMN close_status    TEXT;
ALTER TABLE issue ADD COLUMN closed_by_id    BIGINT;
ALTER TABLE issue ADD COLUMN closed_by_login TEXT;
-- Private issues are shown to their author, their assignees and organization members only.
ALTER TABLE issue ADD COLUMN is_private      BOOLEAN NOT NULL DEFAULT false;
-- A weight from the project's priorities (tracker_settings.priorities); higher is more urgent.
ALTER TABLE issue ADD COLUMN priority        INT;
-- Cross-project listings (a user's issues): by author or assignee, newest first.
CREATE INDEX issue_author ON issue (author_id, created_at DESC) WHERE NOT deleted;

-- Per-repository tracker settings. Absent row = defaults (no priorities, Pagure's default close statuses).
CREATE TABLE tracker_settings (
    repo_id        BIGINT PRIMARY KEY REFERENCES repository (id),
    priorities     JSONB  NOT NULL DEFAULT '{}'::jsonb,
    close_statuses TEXT[] NOT NULL DEFAULT ARRAY['Invalid', 'Insufficient data', 'Fixed', 'Duplicate']
);

-- Custom field keys are defined per repository; values are stored per issue.
CREATE TABLE custom_field_key (
    id       BIGSERIAL PRIMARY KEY,
    repo_id  BIGINT NOT NULL REFERENCES repository (id),
    name     TEXT   NOT NULL,
    key_type TEXT   NOT NULL CHECK (key_type IN ('text', 'boolean', 'link', 'list', 'date')),
    options  TEXT[] NOT NULL DEFAULT '{}',
    position INT    NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX custom_field_key_name ON custom_field_key (repo_id, name);

CREATE TABLE issue_custom_field (
    issue_id BIGINT NOT NULL REFERENCES issue (id) ON DELETE CASCADE,
    key_id   BIGINT NOT NULL REFERENCES custom_field_key (id) ON DELETE CASCADE,
    value    TEXT   NOT NULL,
    PRIMARY KEY (issue_id, key_id)
);

CREATE TABLE issue_subscriber (
    issue_id BIGINT NOT NULL REFERENCES issue (id) ON DELETE CASCADE,
    user_id  BIGINT NOT NULL,
    username TEXT   NOT NULL,
    PRIMARY KEY (issue_id, user_id)
);

-- Pagure addresses a pull request by a global uid (32 hex characters) as well as by number.
ALTER TABLE pull_request ADD COLUMN uid TEXT;
UPDATE pull_request SET uid = replace(gen_random_uuid()::text, '-', '') WHERE uid IS NULL;
ALTER TABLE pull_request ALTER COLUMN uid SET DEFAULT replace(gen_random_uuid()::text, '-', '');
ALTER TABLE pull_request ALTER COLUMN uid SET NOT NULL;
CREATE UNIQUE INDEX pull_request_uid ON pull_request (uid);
ALTER TABLE pull_request ADD COLUMN assignee_id    BIGINT;
ALTER TABLE pull_request ADD COLUMN assignee_login TEXT;
ALTER TABLE pull_request ADD COLUMN closed_by_id    BIGINT;
ALTER TABLE pull_request ADD COLUMN closed_by_login TEXT;
CREATE INDEX pull_request_author ON pull_request (author_id, created_at DESC) WHERE NOT deleted;
