-- A version of each repository's issue list, for the list cache (IssueListCache): every change to
-- something a listed issue shows, or to who may see it, takes a new version in the changing
-- transaction, so a page stored under a version is the page of that version. Triggers do it, so
-- every writer (the Isurus and Pagure APIs, event handlers, a person at psql) is covered without
-- remembering to.
--
-- Versions come from one sequence, not a per-row counter: a value is never handed out twice, so a
-- repository row inserted later (the first write) or inserted again cannot take a version a cached
-- page of that repository was stored under.
CREATE SEQUENCE issue_list_version;
ALTER TABLE repository ADD COLUMN list_version BIGINT NOT NULL DEFAULT nextval('issue_list_version');
ALTER SEQUENCE issue_list_version OWNED BY repository.list_version;

-- What the list shows (IssueRepository.ISSUE_JSON and its VISIBLE test): issue's own columns (title,
-- state, pin, privacy, author, milestone, dates, deleted), its labels (issue_label, and label's name
-- and color), its assignees (issue_assignee, and users' profiles), its milestone (title, state) and its
-- author's profile (users). Pull requests share only repository.last_number, which no list shows;
-- comments, custom fields, subscribers and tracker settings are not in the list either.

CREATE FUNCTION issue_list_bump(repo_ids BIGINT[]) RETURNS void LANGUAGE sql AS $$
    UPDATE repository SET list_version = nextval('issue_list_version') WHERE id = ANY(repo_ids)
$$;

-- Rows that name their repository: issue, label, milestone.
CREATE FUNCTION issue_list_changed_in_repo() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    repo_ids BIGINT[] := '{}';
BEGIN
    IF TG_OP <> 'DELETE' THEN
        repo_ids := repo_ids || NEW.repo_id;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        repo_ids := repo_ids || OLD.repo_id;
    END IF;
    PERFORM issue_list_bump(repo_ids);
    RETURN NULL;
END
$$;

-- Rows that hang off an issue: issue_label, issue_assignee. (When the issue itself is being deleted,
-- its cascade finds no issue here, and the issue's own trigger bumps.)
CREATE FUNCTION issue_list_changed_for_issue() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    issue_ids BIGINT[] := '{}';
BEGIN
    IF TG_OP <> 'DELETE' THEN
        issue_ids := issue_ids || NEW.issue_id;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        issue_ids := issue_ids || OLD.issue_id;
    END IF;
    PERFORM issue_list_bump(ARRAY(SELECT repo_id FROM issue WHERE id = ANY(issue_ids)));
    RETURN NULL;
END
$$;

-- A profile: every repository where the user authors a listed issue or is assigned to one. (A profile
-- that appears shows instead of the recorded id and login, so an insert bumps too.) Deleted issues are
-- never listed, and nothing undeletes one without an update of its own.
CREATE FUNCTION issue_list_changed_for_user() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    user_ids BIGINT[] := '{}';
BEGIN
    IF TG_OP <> 'DELETE' THEN
        user_ids := user_ids || NEW.id;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        user_ids := user_ids || OLD.id;
    END IF;
    PERFORM issue_list_bump(ARRAY(
        SELECT repo_id FROM issue WHERE author_id = ANY(user_ids) AND NOT deleted
        UNION
        SELECT i.repo_id FROM issue_assignee a JOIN issue i ON i.id = a.issue_id WHERE a.user_id = ANY(user_ids)));
    RETURN NULL;
END
$$;
-- The assignee side of that look-up (the primary key starts with issue_id).
CREATE INDEX issue_assignee_user ON issue_assignee (user_id);

-- Deferred to the commit: the repository's row is then held only while the transaction commits, not
-- from its first change on, and it is the last row a writer takes (creating an issue takes it first, for
-- the number, and so takes the profile and labels it points to before: IssueService.create). Writers of
-- one repository's issues do not queue on it for their whole transaction, and lock orders stay one way.
CREATE CONSTRAINT TRIGGER issue_list_version AFTER INSERT OR UPDATE OR DELETE ON issue
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION issue_list_changed_in_repo();
CREATE CONSTRAINT TRIGGER issue_list_version AFTER INSERT OR UPDATE OR DELETE ON label
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION issue_list_changed_in_repo();
CREATE CONSTRAINT TRIGGER issue_list_version AFTER INSERT OR UPDATE OR DELETE ON milestone
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION issue_list_changed_in_repo();
CREATE CONSTRAINT TRIGGER issue_list_version AFTER INSERT OR UPDATE OR DELETE ON issue_label
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION issue_list_changed_for_issue();
CREATE CONSTRAINT TRIGGER issue_list_version AFTER INSERT OR UPDATE OR DELETE ON issue_assignee
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION issue_list_changed_for_issue();
-- Identity events upsert every profile they carry; only a real change bumps.
CREATE CONSTRAINT TRIGGER issue_list_version AFTER INSERT OR DELETE ON users
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION issue_list_changed_for_user();
CREATE CONSTRAINT TRIGGER issue_list_version_changed AFTER UPDATE ON users
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION issue_list_changed_for_user();
