-- The outbox relay listens on 'outbox_event' (OutboxRelay): a transaction that wrote events wakes it
-- as it commits, instead of the relay asking for unsent rows every 50 ms, idle or not. One
-- announcement per statement, folded into one per transaction by PostgreSQL.
CREATE TRIGGER outbox_event_notify AFTER INSERT ON outbox_event
    FOR EACH STATEMENT EXECUTE FUNCTION row_change_notify('outbox_event');
