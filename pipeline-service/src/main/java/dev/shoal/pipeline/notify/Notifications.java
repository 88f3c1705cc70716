package dev.shoal.pipeline.notify;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Wake-ups for waiters on this replica (long-polling agents, log followers). Writers call
 * {@link #notify(SqlClient, String, String)} inside their transaction: PostgreSQL delivers the
 * NOTIFY after commit to every replica's LISTEN connection, so a waiter anywhere wakes only once the
 * change is visible. {@link #signal} wakes local waiters at once; waiters also re-check on a short
 * timer, so a lost notification costs a little latency, never a stuck waiter.
 */
@ApplicationScoped
public class Notifications {

    public static final String QUEUE = "shoal_pipeline_queue";
    public static final String LOG = "shoal_pipeline_log";
    /** A pipeline (payload: its id) changed; for event streams, delivered to every listener. */
    public static final String EVENTS = "shoal_pipeline_events";

    private static final Logger LOG_ = Logger.getLogger(Notifications.class);

    private final Vertx vertx;
    private final Optional<String> reactiveUrl;
    private final Optional<String> username;
    private final Optional<String> password;
    private final Map<String, Set<CompletableFuture<Void>>> waiters = new ConcurrentHashMap<>();
    private final Set<java.util.function.Consumer<String>> eventListeners = ConcurrentHashMap.newKeySet();
    private PgSubscriber subscriber;

    public Notifications(Vertx vertx,
                         @ConfigProperty(name = "quarkus.datasource.reactive.url") Optional<String> reactiveUrl,
                         @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
                         @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.vertx = vertx;
        this.reactiveUrl = reactiveUrl;
        this.username = username;
        this.password = password;
    }

    void start(@Observes StartupEvent event) {
        if (reactiveUrl.isEmpty()) {
            LOG_.warn("quarkus.datasource.reactive.url is not set: wake-ups stay within this replica");
            return;
        }
        PgConnectOptions options = PgConnectOptions.fromUri(reactiveUrl.get());
        username.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        subscriber = PgSubscriber.subscriber(vertx, options)
                .reconnectPolicy(retries -> 1_000L);
        subscriber.channel(QUEUE).handler(payload -> signal(QUEUE, ""));
        subscriber.channel(LOG).handler(payload -> signal(LOG, payload));
        subscriber.channel(EVENTS).handler(payload -> eventListeners.forEach(listener -> listener.accept(payload)));
        subscriber.connect().subscribe().with(
                ok -> LOG_.debug("listening for pipeline notifications"),
                failure -> LOG_.warnf("cannot LISTEN for notifications (waiters fall back to re-checks): %s", failure.getMessage()));
    }

    void stop(@Observes ShutdownEvent event) {
        if (subscriber != null) {
            subscriber.closeAndForget();
        }
    }

    /** Sends a NOTIFY on {@code tx}; it is delivered when (and only if) the transaction commits. */
    public Uni<Void> notify(SqlClient tx, String channel, String payload) {
        return tx.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(channel, payload)).replaceWithVoid();
    }

    /**
     * Calls {@code listener} with the id of every pipeline that changes (after its transaction
     * committed, on any replica) until the returned handle is run.
     */
    public Runnable listenToPipelines(java.util.function.Consumer<String> listener) {
        eventListeners.add(listener);
        return () -> eventListeners.remove(listener);
    }

    /** Wakes this replica's waiters on {@code channel}/{@code key} now. */
    public void signal(String channel, String key) {
        Set<CompletableFuture<Void>> set = waiters.remove(channel + ":" + key);
        if (set != null) {
            set.forEach(f -> f.complete(null));
        }
    }

    /**
     * Registers interest before the caller looks for work, so a signal between looking and waiting
     * is not lost; then {@link #await} the returned future.
     */
    public CompletableFuture<Void> register(String channel, String key) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        waiters.computeIfAbsent(channel + ":" + key, k -> ConcurrentHashMap.newKeySet()).add(future);
        return future;
    }

    /** Drops a registration that will not be awaited. */
    public void forget(String channel, String key, CompletableFuture<Void> registered) {
        Set<CompletableFuture<Void>> set = waiters.get(channel + ":" + key);
        if (set != null) {
            set.remove(registered);
        }
    }

    /** Completes when signalled or after {@code max}, whichever comes first; never blocks a thread. */
    public Uni<Void> await(String channel, String key, CompletableFuture<Void> registered, Duration max) {
        return Uni.createFrom().completionStage(registered)
                .ifNoItem().after(max).recoverWithItem((Void) null)
                .eventually(() -> {
                    Set<CompletableFuture<Void>> set = waiters.get(channel + ":" + key);
                    if (set != null) {
                        set.remove(registered);
                    }
                });
    }
}
