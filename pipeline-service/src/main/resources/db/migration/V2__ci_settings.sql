-- Per-repository CI settings, the ones Drone and Woodpecker expose on a repository. A repository
-- without a row has the defaults below (it is active: pushes start pipelines from the first push).
CREATE TABLE repo_ci_settings (
    repo_id                          BIGINT PRIMARY KEY,
    active                           BOOLEAN NOT NULL DEFAULT true,
    timeout_minutes                  INTEGER NOT NULL DEFAULT 60,
    trusted_network                  BOOLEAN NOT NULL DEFAULT false,
    trusted_security                 BOOLEAN NOT NULL DEFAULT false,
    trusted_volumes                  BOOLEAN NOT NULL DEFAULT false,
    allow_pr                         BOOLEAN NOT NULL DEFAULT true,
    allow_push                       BOOLEAN NOT NULL DEFAULT true,
    allow_tags                       BOOLEAN NOT NULL DEFAULT true,
    allow_deploy                     BOOLEAN NOT NULL DEFAULT false,
    config_file                      TEXT,
    visibility                       TEXT,
    require_approval                 TEXT    NOT NULL DEFAULT 'forks',
    cancel_previous_pipeline_events  TEXT[]  NOT NULL DEFAULT '{}',
    netrc_trusted                    TEXT[]  NOT NULL DEFAULT '{}',
    updated_at                       TIMESTAMPTZ NOT NULL DEFAULT now()
);
