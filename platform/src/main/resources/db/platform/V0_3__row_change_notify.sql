-- A trigger function that announces each committed change to a row on the channel named by the
-- trigger's first argument: the row's id ('*' for a TRUNCATE). db.RowChangeListener listens there and
-- drops the row from its AnnouncedRowCache. A service creates the triggers on its own table:
--   CREATE TRIGGER t_notify AFTER INSERT OR UPDATE OR DELETE ON t FOR EACH ROW EXECUTE FUNCTION row_change_notify('channel');
--   CREATE TRIGGER t_notify_truncate AFTER TRUNCATE ON t FOR EACH STATEMENT EXECUTE FUNCTION row_change_notify('channel');
-- The notification is sent as the transaction commits (never for one that rolls back).
CREATE FUNCTION row_change_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_LEVEL = 'STATEMENT' THEN
        PERFORM pg_notify(TG_ARGV[0], '*');
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM pg_notify(TG_ARGV[0], OLD.id::text);
    ELSE
        PERFORM pg_notify(TG_ARGV[0], NEW.id::text);
    END IF;
    RETURN NULL;
END
$$;
