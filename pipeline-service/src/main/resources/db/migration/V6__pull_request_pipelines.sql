-- Pipelines of pull requests (event 'pull_request'): the PR's number, its target branch and title.
-- 'branch' stays the PR's source branch; 'ref' is refs/pull/{n}/head as in Drone and Woodpecker.
ALTER TABLE pipeline ADD COLUMN pull_request  INTEGER;
ALTER TABLE pipeline ADD COLUMN target_branch TEXT;
ALTER TABLE pipeline ADD COLUMN title         TEXT;

-- One pull request pipeline per (repository, pull request, head commit): opened, then updated by a
-- review or a comment with the same head, starts nothing new. Restarts (parent > 0) are new runs.
CREATE UNIQUE INDEX pipeline_pull_request_once ON pipeline (repo_id, pull_request, commit_node)
    WHERE event = 'pull_request' AND parent = 0 AND pull_request IS NOT NULL;

-- The repositories' pull requests as pull_request.* events describe them (issue-service owns them):
-- Woodpecker's "list open pull requests" reads this instead of calling issue-service.
CREATE TABLE pull_request (
    repo_id       BIGINT      NOT NULL,
    number        INTEGER     NOT NULL,
    title         TEXT        NOT NULL DEFAULT '',
    status        TEXT        NOT NULL,
    source_branch TEXT        NOT NULL,
    target_branch TEXT        NOT NULL,
    head_sha      TEXT,
    from_fork     BOOLEAN     NOT NULL DEFAULT false,
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (repo_id, number)
);
CREATE INDEX pull_request_open ON pull_request (repo_id, number DESC) WHERE status = 'open';
