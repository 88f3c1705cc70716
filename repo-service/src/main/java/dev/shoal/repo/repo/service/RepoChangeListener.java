package dev.shoal.repo.repo.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Holds one database connection that listens on {@value #CHANNEL}, where PostgreSQL announces each
 * committed change to a repository row, and tells {@link RepoRowCache}. While the connection is down
 * (PostgreSQL restarting, a network cut) the cache serves nothing; it is opened again every
 * {@value #RETRY_MS} ms, and rows are cached again from the moment it listens.
 */
@ApplicationScoped
public class RepoChangeListener {

    static final String CHANNEL = "shoal_repository";
    static final long RETRY_MS = 1000;
    private static final Logger LOG = Logger.getLogger(RepoChangeListener.class);

    private final Pool pool;
    private final Vertx vertx;
    private final RepoRowCache cache;
    /** True from the moment a connection is asked for until that connection is lost or given up. */
    private final AtomicBoolean connecting = new AtomicBoolean();
    private volatile boolean stopped;
    private volatile SqlConnection connection;
    /** Whether the last loss was logged, so an outage is logged once and not at every attempt. */
    private volatile boolean lossReported;

    public RepoChangeListener(Pool pool, Vertx vertx, RepoRowCache cache) {
        this.pool = pool;
        this.vertx = vertx;
        this.cache = cache;
    }

    void start(@Observes StartupEvent event) {
        if (cache.enabled()) {
            listen();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        cache.deaf();
        SqlConnection open = connection;
        if (open != null) {
            open.closeAndForget();
        }
    }

    private void listen() {
        if (stopped || !connecting.compareAndSet(false, true)) {
            return;
        }
        pool.getConnection().subscribe().with(this::subscribe, failure -> lost("no connection: " + failure.getMessage()));
    }

    private void subscribe(SqlConnection opened) {
        PgConnection pg;
        try {
            pg = PgConnection.cast(opened.getDelegate());
        } catch (ClassCastException e) {
            LOG.warnf("repository rows are not cached: the pool's connections cannot listen (%s)", e.getMessage());
            opened.closeAndForget();
            return;
        }
        pg.notificationHandler(notification -> announced(notification.getPayload()));
        pg.closeHandler(closed -> {
            if (connection == opened) {
                connection = null;
                lost("the listening connection closed");
            }
        });
        opened.query("LISTEN " + CHANNEL).execute().subscribe().with(done -> {
            connection = opened;
            cache.listening();
            if (lossReported) {
                lossReported = false;
                LOG.infof("listening on %s again: repository rows are cached", CHANNEL);
            }
        }, failure -> {
            opened.closeAndForget();
            lost("LISTEN failed: " + failure.getMessage());
        });
    }

    private void announced(String payload) {
        try {
            cache.changed(Long.parseLong(payload));
        } catch (NumberFormatException e) {
            cache.changedAll();
        }
    }

    private void lost(String why) {
        cache.deaf();
        connecting.set(false);
        if (stopped) {
            return;
        }
        if (!lossReported) {
            lossReported = true;
            LOG.infof("repository rows are read from the database until %s is listened to again (%s)", CHANNEL, why);
        }
        vertx.setTimer(RETRY_MS, timer -> listen());
    }
}
