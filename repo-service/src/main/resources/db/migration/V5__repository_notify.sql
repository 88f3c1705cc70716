-- Every committed change to a repository row is announced on the channel shoal_repository with the
-- row's id: each repo-service process drops its cached copy of that row (RepoRowCache), whichever
-- process or tool made the change. row_change_notify is platform's (db/platform V0_3).
CREATE TRIGGER repository_notify AFTER INSERT OR UPDATE OR DELETE ON repository
    FOR EACH ROW EXECUTE FUNCTION row_change_notify('shoal_repository');
CREATE TRIGGER repository_notify_truncate AFTER TRUNCATE ON repository
    FOR EACH STATEMENT EXECUTE FUNCTION row_change_notify('shoal_repository');
