package dev.shoal.gateway.audit.service;

import dev.shoal.gateway.audit.AuditEntry;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.api.PageResponse;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/** Records every mutating request once its answer is known; site admins read it back. */
@ApplicationScoped
public class AuditLog {

    private static final Logger LOG = Logger.getLogger(AuditLog.class);

    private final Pool pool;

    public AuditLog(Pool pool) {
        this.pool = pool;
    }

    public record Record(Long actorId, String actorLogin, String method, String route, String path, int status,
                         String requestId, String clientIp) {
    }

    public void record(Record entry) {
        pool.preparedQuery("INSERT INTO audit_log (actor_id, actor_login, method, route, path, status, request_id, client_ip) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .execute(Tuple.tuple().addLong(entry.actorId()).addString(entry.actorLogin()).addString(entry.method())
                        .addString(entry.route()).addString(truncate(entry.path())).addInteger(entry.status())
                        .addString(entry.requestId()).addString(entry.clientIp()))
                .subscribe().with(ok -> { }, e -> LOG.warnf("audit entry for %s %s not written: %s",
                        entry.method(), entry.route(), e.getMessage()));
    }

    public Uni<PageResponse<AuditEntry>> list(PageRequest page) {
        return pool.query("SELECT count(*) FROM audit_log").execute()
                .map(rows -> rows.iterator().next().getLong(0))
                .chain(total -> pool.preparedQuery("SELECT * FROM audit_log ORDER BY id DESC LIMIT $1 OFFSET $2")
                        .execute(Tuple.of(page.perPage(), page.offset()))
                        .map(rows -> {
                            List<AuditEntry> entries = new ArrayList<>();
                            rows.forEach(row -> entries.add(AuditEntry.from(row)));
                            return PageResponse.of(entries, page, total);
                        }));
    }

    private static String truncate(String path) {
        return path.length() > 2000 ? path.substring(0, 2000) : path;
    }
}
