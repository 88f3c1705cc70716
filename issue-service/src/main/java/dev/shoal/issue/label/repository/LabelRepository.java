package dev.shoal.issue.label.repository;

import dev.shoal.issue.label.Label;
import dev.shoal.issue.support.Sql;
import dev.shoal.issue.support.Unique;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class LabelRepository {

    public Uni<List<Label>> list(SqlClient client, long repoId, int limit, long offset) {
        return client.preparedQuery("SELECT * FROM label WHERE repo_id = $1 ORDER BY lower(name) LIMIT $2 OFFSET $3")
                .execute(Sql.args(repoId, limit, offset)).map(rows -> Sql.list(rows, LabelRepository::map));
    }

    public Uni<Long> count(SqlClient client, long repoId) {
        return client.preparedQuery("SELECT count(*) FROM label WHERE repo_id = $1").execute(Sql.args(repoId))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    public Uni<Optional<Label>> find(SqlClient client, long repoId, long id) {
        return client.preparedQuery("SELECT * FROM label WHERE repo_id = $1 AND id = $2").execute(Sql.args(repoId, id))
                .map(rows -> Sql.first(rows, LabelRepository::map));
    }

    public Uni<List<Label>> byIds(SqlClient client, long repoId, Collection<Long> ids) {
        return client.preparedQuery("SELECT * FROM label WHERE repo_id = $1 AND id = ANY($2)")
                .execute(Sql.args(repoId, Sql.ids(ids))).map(rows -> Sql.list(rows, LabelRepository::map));
    }

    public Uni<List<Label>> byNames(SqlClient client, long repoId, Collection<String> names) {
        String[] lower = names.stream().map(n -> n.toLowerCase(java.util.Locale.ROOT)).toArray(String[]::new);
        return client.preparedQuery("SELECT * FROM label WHERE repo_id = $1 AND lower(name) = ANY($2)")
                .execute(Sql.args(repoId, lower)).map(rows -> Sql.list(rows, LabelRepository::map));
    }

    /**
     * The ids of the labels named (case-insensitively), creating with {@code color} those that do not
     * exist yet (Pagure creates tags on first use). The existing ones are key-share locked, as the
     * issue_label rows that will point to them would lock them, so a caller can take them early.
     */
    public Uni<List<Long>> ensure(SqlClient tx, long repoId, List<String> names, String color) {
        if (names.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        String[] all = names.toArray(String[]::new);
        return tx.preparedQuery("INSERT INTO label (repo_id, name, color) SELECT $1, n, $3 FROM unnest($2::text[]) AS n "
                        + "WHERE NOT EXISTS (SELECT 1 FROM label l WHERE l.repo_id = $1 AND lower(l.name) = lower(n)) "
                        + "ON CONFLICT DO NOTHING")
                .execute(Sql.args(repoId, all, color))
                .chain(() -> tx.preparedQuery("SELECT id FROM label WHERE repo_id = $1 AND lower(name) = ANY($2) FOR KEY SHARE")
                        .execute(Sql.args(repoId, names.stream().map(String::toLowerCase).toArray(String[]::new))))
                .map(rows -> Sql.list(rows, r -> r.getLong(0)));
    }

    public Uni<Label> insert(SqlClient tx, long repoId, String name, String color, String description) {
        return tx.preparedQuery("INSERT INTO label (repo_id, name, color, description) VALUES ($1, $2, $3, $4) RETURNING *")
                .execute(Sql.args(repoId, name, color, description))
                .map(rows -> map(rows.iterator().next()))
                .onFailure().transform(e -> Unique.conflict(e, "a label named '" + name + "' already exists in this repository"));
    }

    public Uni<Label> update(SqlClient tx, Label label) {
        return tx.preparedQuery("UPDATE label SET name = $2, color = $3, description = $4 WHERE id = $1 RETURNING *")
                .execute(Sql.args(label.id(), label.name(), label.color(), label.description()))
                .map(rows -> map(rows.iterator().next()))
                .onFailure().transform(e -> Unique.conflict(e, "a label named '" + label.name() + "' already exists in this repository"));
    }

    public Uni<Integer> delete(SqlClient tx, long repoId, long id) {
        return tx.preparedQuery("DELETE FROM label WHERE repo_id = $1 AND id = $2").execute(Sql.args(repoId, id))
                .map(rows -> rows.rowCount());
    }

    static Label map(Row row) {
        return new Label(row.getLong("id"), row.getString("name"), row.getString("color"), row.getString("description"),
                Sql.instant(row, "created_at"));
    }
}
