package dev.shoal.repo.repo.service;

import dev.shoal.platform.db.AnnouncedRowCache;
import dev.shoal.platform.db.RowChangeListener;
import dev.shoal.repo.config.RepoConfig;
import dev.shoal.repo.repo.Repo;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Repository rows by organization and name, kept in memory: every API and git request looks its
 * repository up by name, and that query was a fifth of the CPU a {@code GET /api/v1/repos/{org}/{repo}}
 * cost the whole machine (issue 19), PostgreSQL's share of it. A trigger announces each committed
 * change to a row on {@value #CHANNEL} (V5__repository_notify.sql), whoever makes it (another replica,
 * psql), and the row is dropped here; {@link AnnouncedRowCache} says why a hit is never staler than
 * that. Meters: {@code shoal_repo_row_cache_requests_total{result=hit|miss}},
 * {@code shoal_repo_row_cache_listening}.
 */
@ApplicationScoped
public class RepoRowCache {

    static final String CHANNEL = "shoal_repository";

    private final AnnouncedRowCache<String, Repo> rows;
    private final RowChangeListener listener;

    public RepoRowCache(RepoConfig config, MeterRegistry registry, Pool pool, Vertx vertx) {
        this.rows = new AnnouncedRowCache<>("shoal.repo.row.cache", config.rowCacheMaxEntries(), Repo::id, registry);
        this.listener = new RowChangeListener(pool, vertx, CHANNEL, rows);
    }

    void start(@Observes StartupEvent event) {
        listener.start();
    }

    void stop(@Observes ShutdownEvent event) {
        listener.stop();
    }

    /** The row of {@code org}/{@code name} (names compared without regard to case), or {@code load}'s answer, then kept. */
    public Uni<Repo> find(String org, String name, Supplier<Uni<Repo>> load) {
        return rows.find(org.toLowerCase(Locale.ROOT) + "/" + name.toLowerCase(Locale.ROOT), load);
    }

    /** Repository {@code id} was changed by this process and the change has committed. */
    public void changed(long id) {
        rows.changed(id);
    }

    public boolean serving() {
        return rows.serving();
    }

    public long hits() {
        return rows.hits();
    }
}
