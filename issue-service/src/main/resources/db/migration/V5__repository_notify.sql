-- Every change to a repository row (this service's copy: privacy, name, the issue list's version, the
-- last number taken) is announced on the channel shoal_issue_repository as the changing transaction
-- commits, with the row's id (or '*' for a TRUNCATE): each issue-service process drops its cached copy
-- of that row (RepoRowCache), whichever process or tool made the change.
CREATE FUNCTION repository_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_LEVEL = 'STATEMENT' THEN
        PERFORM pg_notify('shoal_issue_repository', '*');
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('shoal_issue_repository', OLD.id::text);
    ELSE
        PERFORM pg_notify('shoal_issue_repository', NEW.id::text);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER repository_notify AFTER INSERT OR UPDATE OR DELETE ON repository
    FOR EACH ROW EXECUTE FUNCTION repository_notify();
CREATE TRIGGER repository_notify_truncate AFTER TRUNCATE ON repository
    FOR EACH STATEMENT EXECUTE FUNCTION repository_notify();
