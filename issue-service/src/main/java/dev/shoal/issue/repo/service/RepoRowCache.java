package dev.shoal.issue.repo.service;

import dev.shoal.issue.config.IssueConfig;
import dev.shoal.issue.repo.RepoRecord;
import dev.shoal.platform.db.AnnouncedRowCache;
import dev.shoal.platform.db.RowChangeListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.function.Supplier;

/**
 * This service's repository rows by id, kept in memory: every issue and pull request request reads its
 * repository's row (with the issue list's version), and on a cached issue list that query was the one
 * left. A trigger announces each committed change to a row on {@value #CHANNEL}
 * (V5__repository_notify.sql), whoever makes it (an event handler, another replica, psql), and the
 * row is dropped here; {@link AnnouncedRowCache} says why a hit is never staler than that. A write
 * request of this process drops every row once it has been answered ({@code WritesForgetRepoRows}),
 * so its client's next request sees the write without waiting for the announcement. Meters:
 * {@code shoal_issue_repo_cache_requests_total{result=hit|miss}}, {@code shoal_issue_repo_cache_listening}.
 */
@ApplicationScoped
public class RepoRowCache {

    static final String CHANNEL = "shoal_issue_repository";

    /** A row as read: its repository, and whether it was deleted. */
    public record Stored(RepoRecord repo, boolean deleted) {
    }

    private final AnnouncedRowCache<Long, Stored> rows;
    private final RowChangeListener listener;

    public RepoRowCache(IssueConfig config, MeterRegistry registry, Pool pool, Vertx vertx) {
        this.rows = new AnnouncedRowCache<>("shoal.issue.repo.cache", config.repoCacheMaxEntries(), stored -> stored.repo().id(),
                registry);
        this.listener = new RowChangeListener(pool, vertx, CHANNEL, rows);
    }

    void start(@Observes StartupEvent event) {
        listener.start();
    }

    void stop(@Observes ShutdownEvent event) {
        listener.stop();
    }

    /** The row of repository {@code id}, or {@code load}'s answer (null: no row), then kept. */
    public Uni<Stored> find(long id, Supplier<Uni<Stored>> load) {
        return rows.find(id, load);
    }

    /** This process committed a change: no row is served as it was before. */
    public void wrote() {
        rows.changedAll();
    }

    public boolean serving() {
        return rows.serving();
    }

    /** Whether repository {@code id}'s row is in memory now. */
    public boolean holds(long id) {
        return rows.holds(id);
    }

    public long hits() {
        return rows.hits();
    }
}
