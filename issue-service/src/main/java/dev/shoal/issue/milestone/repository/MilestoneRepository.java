package dev.shoal.issue.milestone.repository;

import dev.shoal.issue.milestone.Milestone;
import dev.shoal.issue.support.Sql;
import dev.shoal.issue.support.Unique;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class MilestoneRepository {

    // Issue counts come from one grouped join, not a query per milestone.
    private static final String SELECT = "SELECT m.*, "
            + "count(i.id) FILTER (WHERE i.state <> 'closed') AS open_issues, "
            + "count(i.id) FILTER (WHERE i.state = 'closed') AS closed_issues "
            + "FROM milestone m LEFT JOIN issue i ON i.milestone_id = m.id AND NOT i.deleted ";

    public Uni<List<Milestone>> list(SqlClient client, long repoId, String state, int limit, long offset) {
        return client.preparedQuery(SELECT + "WHERE m.repo_id = $1 AND ($2::text IS NULL OR m.state = $2) "
                        + "GROUP BY m.id ORDER BY m.due_on NULLS LAST, m.id LIMIT $3 OFFSET $4")
                .execute(Sql.args(repoId, state, limit, offset)).map(rows -> Sql.list(rows, MilestoneRepository::map));
    }

    public Uni<Long> count(SqlClient client, long repoId, String state) {
        return client.preparedQuery("SELECT count(*) FROM milestone WHERE repo_id = $1 AND ($2::text IS NULL OR state = $2)")
                .execute(Sql.args(repoId, state)).map(rows -> rows.iterator().next().getLong(0));
    }

    public Uni<Optional<Milestone>> find(SqlClient client, long repoId, long id) {
        return client.preparedQuery(SELECT + "WHERE m.repo_id = $1 AND m.id = $2 GROUP BY m.id")
                .execute(Sql.args(repoId, id)).map(rows -> Sql.first(rows, MilestoneRepository::map));
    }

    public Uni<Long> insert(SqlClient tx, long repoId, String title, String description, Instant dueOn, String state) {
        return tx.preparedQuery("INSERT INTO milestone (repo_id, title, description, due_on, state) "
                        + "VALUES ($1, $2, $3, $4, $5) RETURNING id")
                .execute(Sql.args(repoId, title, description, dueOn, state))
                .map(rows -> rows.iterator().next().getLong(0))
                .onFailure().transform(e -> Unique.conflict(e, "a milestone titled '" + title + "' already exists in this repository"));
    }

    public Uni<Void> update(SqlClient tx, long id, String title, String description, Instant dueOn, String state) {
        return tx.preparedQuery("UPDATE milestone SET title = $2, description = $3, due_on = $4, state = $5, "
                        + "updated_at = now() WHERE id = $1")
                .execute(Sql.args(id, title, description, dueOn, state)).replaceWithVoid()
                .onFailure().transform(e -> Unique.conflict(e, "a milestone titled '" + title + "' already exists in this repository"));
    }

    public Uni<Integer> delete(SqlClient tx, long repoId, long id) {
        return tx.preparedQuery("DELETE FROM milestone WHERE repo_id = $1 AND id = $2").execute(Sql.args(repoId, id))
                .map(rows -> rows.rowCount());
    }

    static Milestone map(Row row) {
        return new Milestone(row.getLong("id"), row.getString("title"), row.getString("description"),
                Sql.instant(row, "due_on"), row.getString("state"), row.getLong("open_issues"),
                row.getLong("closed_issues"), Sql.instant(row, "created_at"), Sql.instant(row, "updated_at"));
    }
}
