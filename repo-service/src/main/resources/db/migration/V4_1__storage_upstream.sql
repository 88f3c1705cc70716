-- Code Storage repositories created with base_repo (GitHub sync): where pull-upstream fetches from,
-- and the outcome of the last sync (it runs in the background, after the 202).
ALTER TABLE storage_repository
    ADD COLUMN base_provider       TEXT,
    ADD COLUMN base_owner          TEXT,
    ADD COLUMN base_name           TEXT,
    ADD COLUMN base_default_branch TEXT,
    ADD COLUMN upstream_synced_at  TIMESTAMPTZ,
    ADD COLUMN upstream_error      TEXT;
