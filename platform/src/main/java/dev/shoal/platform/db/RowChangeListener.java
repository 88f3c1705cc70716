package dev.shoal.platform.db;

import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgConnection;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Holds one pooled database connection that listens on a channel where a trigger announces each
 * committed change to a table's rows (the row's id, or {@code '*'} for any), and tells a
 * {@link ChannelSubscriber}: an {@link AnnouncedRowCache}, which serves nothing while the connection
 * is down (PostgreSQL restarting, a network cut), or the outbox relay, which polls meanwhile. The
 * connection is opened again every {@value #RETRY_MS} ms, and the subscriber hears from the moment it listens.
 */
public final class RowChangeListener {

    static final long RETRY_MS = 1000;
    /**
     * How often the listening connection is asked a trivial query, and how long it may take. A
     * connection cut without a word (a NAT or load balancer dropping an idle flow, a failover moving an
     * address) closes nothing here, and would leave the subscriber trusting announcements that no longer
     * arrive; the query also keeps the flow from looking idle.
     */
    public static final Duration PROBE_EVERY = Duration.ofSeconds(15);
    public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
    private static final Logger LOG = Logger.getLogger(RowChangeListener.class);

    private final Pool pool;
    private final Vertx vertx;
    private final String channel;
    private final ChannelSubscriber subscriber;
    private final Duration probeEvery;
    private final Duration probeTimeout;
    /** True from the moment a connection is asked for until that connection is lost or given up. */
    private final AtomicBoolean connecting = new AtomicBoolean();
    private volatile boolean stopped;
    private volatile SqlConnection connection;
    /** Whether the last loss was logged, so an outage is logged once and not at every attempt. */
    private volatile boolean lossReported;
    private long probeTimer = -1;

    /** {@code channel}: a PostgreSQL identifier, lower case (it is sent unquoted). */
    public RowChangeListener(Pool pool, Vertx vertx, String channel, ChannelSubscriber subscriber) {
        this(pool, vertx, channel, subscriber, PROBE_EVERY, PROBE_TIMEOUT);
    }

    public RowChangeListener(Pool pool, Vertx vertx, String channel, ChannelSubscriber subscriber, Duration probeEvery,
                             Duration probeTimeout) {
        if (!channel.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a channel name: " + channel);
        }
        this.pool = pool;
        this.vertx = vertx;
        this.channel = channel;
        this.subscriber = subscriber;
        this.probeEvery = probeEvery;
        this.probeTimeout = probeTimeout;
    }

    /** Starts listening, if the subscriber wants to. */
    public void start() {
        if (subscriber.enabled()) {
            listen();
            probeTimer = vertx.setPeriodic(probeEvery.toMillis(), timer -> probe());
        }
    }

    public void stop() {
        stopped = true;
        if (probeTimer >= 0) {
            vertx.cancelTimer(probeTimer);
        }
        subscriber.deaf();
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
            LOG.warnf("nothing announced on %s is heard: the pool's connections cannot listen (%s)", channel, e.getMessage());
            opened.closeAndForget();
            return;
        }
        pg.notificationHandler(notification -> subscriber.announced(notification.getPayload()));
        pg.closeHandler(closed -> {
            if (connection == opened) {
                connection = null;
                lost("the listening connection closed");
            }
        });
        opened.query("LISTEN " + channel).execute().subscribe().with(done -> {
            if (stopped) {
                // stop() came while LISTEN was on its way: nothing may be served after it
                opened.closeAndForget();
                return;
            }
            connection = opened;
            subscriber.listening();
            if (lossReported) {
                lossReported = false;
                LOG.infof("listening on %s again", channel);
            }
        }, failure -> {
            opened.closeAndForget();
            lost("LISTEN failed: " + failure.getMessage());
        });
    }

    /**
     * A listening connection that does not answer is given up: not closed (back in the pool it would
     * be handed to a request), only left until the pool sees it fail, and another one listens.
     */
    private void probe() {
        SqlConnection open = connection;
        if (open == null) {
            return;
        }
        // names the channel, so an operator (or a test) can tell this connection in pg_stat_activity
        open.query("SELECT '" + channel + "' AS listening").execute()
                .ifNoItem().after(probeTimeout).fail()
                .subscribe().with(answered -> {
                }, failure -> {
                    if (connection == open) {
                        connection = null;
                        lost("the listening connection did not answer: " + failure);
                    }
                });
    }

    private void lost(String why) {
        subscriber.deaf();
        connecting.set(false);
        if (stopped) {
            return;
        }
        if (!lossReported) {
            lossReported = true;
            LOG.infof("not listening on %s until the connection is back (%s)", channel, why);
        }
        vertx.setTimer(RETRY_MS, timer -> listen());
    }
}
