-- repo-service schema; the outbox and applied_event tables come from platform (db/platform).
SELECT 1;
