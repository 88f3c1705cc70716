-- The built commit's message, author and commit time, carried from the push event (repo.pushed's
-- head_commit) so the Drone and Woodpecker views answer them. Null when unknown (cron, manual and
-- pull request pipelines, and pipelines stored before this migration).
ALTER TABLE pipeline
    ADD COLUMN commit_message TEXT,
    ADD COLUMN author_name TEXT,
    ADD COLUMN author_email TEXT,
    ADD COLUMN commit_time TIMESTAMPTZ;

-- Woodpecker's chown: the user who took the repository's CI over (not shown in Woodpecker's JSON,
-- as Woodpecker hides its user_id too).
ALTER TABLE repo_ci_settings
    ADD COLUMN owner_id BIGINT,
    ADD COLUMN owner_login TEXT;
