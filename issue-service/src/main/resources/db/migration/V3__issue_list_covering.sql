-- The list's page and its count read only the key columns and id, is_private and author_id (the
-- visibility test; a private issue also looks at issue_assignee): with those in the index both are
-- index-only scans. Without them each listed issue cost a heap visit, for the count every issue of the
-- list (10,000 in the benchmark's repository) on every page.
DROP INDEX issue_list;
CREATE INDEX issue_list ON issue (repo_id, state, is_pinned DESC, number DESC) INCLUDE (id, is_private, author_id)
    WHERE NOT deleted;
