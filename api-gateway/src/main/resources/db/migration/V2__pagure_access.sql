-- Per-repository access granted outside organization membership (Pagure ACLs, main admins, fork
-- owners) and users blocked from a repository; a copy of repo-service's list, replaced whole by each
-- repo.access_changed event. Names are lower-case logins (kind user, blocked) or organization names (group).
CREATE TABLE repo_access (
    repo_id BIGINT NOT NULL,
    kind    TEXT   NOT NULL CHECK (kind IN ('user', 'group', 'blocked')),
    name    TEXT   NOT NULL,
    level   TEXT   NOT NULL CHECK (level IN ('ticket', 'commit', 'admin', 'blocked')),
    PRIMARY KEY (repo_id, kind, name)
);
