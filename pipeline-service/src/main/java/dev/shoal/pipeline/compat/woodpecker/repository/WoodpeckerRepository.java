package dev.shoal.pipeline.compat.woodpecker.repository;

import dev.shoal.pipeline.compat.woodpecker.RepoPipeline;
import dev.shoal.pipeline.pipeline.PipelineFilter;
import dev.shoal.pipeline.pipeline.PipelineRow;
import dev.shoal.pipeline.pipeline.repository.PipelineRepository;
import dev.shoal.pipeline.repo.Repo;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/** The reads Woodpecker's answers need beyond the native repositories': pipelines of every repository with their repository. */
@ApplicationScoped
public class WoodpeckerRepository {

    private static final String COLUMNS = prefixed(PipelineRepository.PIPELINE_COLUMNS, "p.")
            + ", r.org_id AS r_org_id, r.org AS r_org, r.name AS r_name, r.is_private AS r_private, "
            + "r.default_branch AS r_default_branch";

    /** Answers when the database does. */
    public Uni<Void> ping(SqlClient client) {
        return client.query("SELECT 1").execute().replaceWithVoid();
    }

    /** Pipelines of every repository, newest first, each with its repository: one statement. */
    public Uni<List<RepoPipeline>> listAll(SqlClient client, PipelineFilter filter, int limit, long offset) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM pipeline p LEFT JOIN repos r ON r.id = p.repo_id "
                        + "WHERE ($1::text IS NULL OR p.status = $1) AND ($2::timestamptz IS NULL OR p.created_at < $2) "
                        + "AND ($3::timestamptz IS NULL OR p.created_at > $3) ORDER BY p.id DESC LIMIT $4 OFFSET $5")
                .execute(Tuple.from(new Object[] {filter.status(), PipelineRepository.offset(filter.before()),
                        PipelineRepository.offset(filter.after()), limit, offset}))
                .map(rows -> {
                    List<RepoPipeline> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new RepoPipeline(repo(r), PipelineRepository.pipeline(r))));
                    return out;
                });
    }

    private static Repo repo(Row r) {
        long id = r.getLong("repo_id");
        String org = r.getString("r_org");
        if (org == null) {
            return new Repo(id, null, "", "", true, "main");
        }
        return new Repo(id, r.getLong("r_org_id"), org, r.getString("r_name"), r.getBoolean("r_private"),
                r.getString("r_default_branch"));
    }

    private static String prefixed(String columns, String prefix) {
        StringBuilder out = new StringBuilder();
        for (String c : columns.split(",")) {
            out.append(out.length() == 0 ? "" : ", ").append(prefix).append(c.strip());
        }
        return out.toString();
    }
}
