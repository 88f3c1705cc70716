package dev.shoal.webhook.delivery.service;

import dev.shoal.webhook.config.WebhookConfig;
import dev.shoal.webhook.delivery.AttemptResult;
import dev.shoal.webhook.delivery.ClaimedDelivery;
import dev.shoal.webhook.delivery.repository.DeliveryRepository;
import dev.shoal.webhook.hook.repository.HookRepository;
import dev.shoal.webhook.hook.service.SecretCipher;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Sends due deliveries. Pending deliveries are rows, so nothing lives only in memory: this process
 * claims due rows with a lease (SKIP LOCKED), sends them, and records each attempt; rows of a
 * process that died become due again when their lease runs out, and go out with the same
 * delivery uuid (at least once). It looks for work every poll interval and at once when a NOTIFY
 * says a transaction committed new rows.
 *
 * <p>Requests are non-blocking and many run at once, but at most {@code max-per-host} per target
 * host: the rest wait in that host's lane, so one slow receiver holds only its own lane.
 */
@ApplicationScoped
public class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);

    private final Vertx vertx;
    private final Pool pool;
    private final DeliveryRepository deliveries;
    private final HookRepository hooks;
    private final SecretCipher cipher;
    private final HookshotClient client;
    private final WebhookConfig config;
    private final DeliveryMetrics metrics;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean polling = new AtomicBoolean();
    private final AtomicBoolean pollAgain = new AtomicBoolean();
    /** A poll found no room or filled it: due rows may be left, so a finished attempt looks again. */
    private final AtomicBoolean saturated = new AtomicBoolean();
    private final AtomicLong renewals = new AtomicLong();
    private final AtomicLong chained = new AtomicLong();
    private final AtomicLong attempts = new AtomicLong();
    private volatile boolean running;
    private long timer = -1;
    private PgSubscriber subscriber;

    public Dispatcher(Vertx vertx, Pool pool, DeliveryRepository deliveries, HookRepository hooks, SecretCipher cipher,
                      HookshotClient client, WebhookConfig config, DeliveryMetrics metrics) {
        this.vertx = vertx;
        this.pool = pool;
        this.deliveries = deliveries;
        this.hooks = hooks;
        this.cipher = cipher;
        this.client = client;
        this.config = config;
        this.metrics = metrics;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.dispatcher().enabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        timer = vertx.setPeriodic(config.dispatcher().pollInterval().toMillis(), id -> poll());
        listen();
        wake();
    }

    /** Stops taking new work; attempts already running finish and are recorded. */
    public synchronized void stop() {
        running = false;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        if (subscriber != null) {
            subscriber.close();
            subscriber = null;
        }
    }

    public boolean running() {
        return running;
    }

    /** Attempts this process has recorded since start; for metrics and tests. */
    public long attemptsRecorded() {
        return attempts.get();
    }

    /** Claims renewed before sending (rows that waited in their lane); for tests. */
    public long renewals() {
        return renewals.get();
    }

    /** Deliveries claimed by the statement that completed their hook's previous one; for tests. */
    public long chained() {
        return chained.get();
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** Looks for due rows now; call after committing new ones. */
    public void wake() {
        if (running) {
            vertx.runOnContext(v -> poll());
        }
    }

    private void listen() {
        Optional<String> url = ConfigProvider.getConfig().getOptionalValue("quarkus.datasource.reactive.url", String.class);
        if (url.isEmpty()) {
            return;
        }
        PgConnectOptions options = PgConnectOptions.fromUri(url.get().replaceFirst("^vertx-reactive:", ""));
        ConfigProvider.getConfig().getOptionalValue("quarkus.datasource.username", String.class).ifPresent(options::setUser);
        ConfigProvider.getConfig().getOptionalValue("quarkus.datasource.password", String.class).ifPresent(options::setPassword);
        PgSubscriber current = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 1_000L);
        current.channel(DeliveryRepository.CHANNEL).handler(payload -> wake());
        current.connect().onFailure(e -> LOG.debugf("no LISTEN connection, polling only: %s", e.getMessage()));
        subscriber = current;
    }

    private void poll() {
        if (!running) {
            return;
        }
        if (!polling.compareAndSet(false, true)) {
            pollAgain.set(true);
            return;
        }
        int capacity = config.dispatcher().maxInFlight() - inFlight.get();
        if (capacity <= 0) {
            saturated.set(true);
            polling.set(false);
            return;
        }
        deliveries.claim(pool, capacity, config.dispatcher().claimLease())
                .subscribe().with(claimed -> {
                    claimed.forEach(this::enqueue);
                    saturated.set(claimed.size() == capacity);
                    polling.set(false);
                    if (pollAgain.getAndSet(false) || claimed.size() == capacity) {
                        wake();
                    }
                }, error -> {
                    polling.set(false);
                    LOG.warnf("could not claim due deliveries: %s", error.getMessage());
                });
    }

    private void enqueue(ClaimedDelivery claimed) {
        inFlight.incrementAndGet();
        Lane lane = lanes.computeIfAbsent(hostOf(claimed.url()), host -> new Lane());
        boolean now;
        synchronized (lane) {
            now = lane.active < Math.max(1, config.dispatcher().maxPerHost());
            if (now) {
                lane.active++;
            } else {
                lane.waiting.add(claimed);
            }
        }
        if (now) {
            deliver(claimed, lane);
        }
    }

    private void deliver(ClaimedDelivery claimed, Lane lane) {
        Uni<Boolean> kept;
        if (needsRenewal(claimed)) {
            renewals.incrementAndGet();
            kept = deliveries.renew(pool, claimed, config.dispatcher().claimLease());
        } else {
            kept = Uni.createFrom().item(true);
        }
        kept.chain(ok -> ok ? attempt(claimed) : Uni.createFrom().item(Outcome.LOST))
                .subscribe().with(outcome -> finished(lane, outcome), error -> {
                    LOG.warnf("delivery %d: attempt not recorded, it will be retried when its claim expires: %s",
                            claimed.id(), error.getMessage());
                    finished(lane, Outcome.LOST);
                });
    }

    /**
     * Whether the claim must be extended before sending: not when the lease left still covers the
     * whole request (timeout) with a quarter of the lease to spare, which is the case for a row sent
     * right after its claim. A row that waited in its lane behind a slow receiver is renewed, and
     * is not sent when another dispatcher took it meanwhile.
     */
    private boolean needsRenewal(ClaimedDelivery claimed) {
        long lease = config.dispatcher().claimLease().toNanos();
        long left = lease - (System.nanoTime() - claimed.claimedAtNanos());
        return left - config.timeout().toNanos() < lease / 4;
    }

    private Uni<Outcome> attempt(ClaimedDelivery claimed) {
        String secret;
        try {
            secret = cipher.open(claimed.sealedSecret());
        } catch (RuntimeException e) {
            // a changed or missing key: retrying cannot help, and the row must not loop on its lease
            return record(claimed, AttemptResult.notSent(claimed.url(), e.getMessage()));
        }
        return client.send(claimed.url(), claimed.deliveryUuid(), claimed.hookId(), claimed.eventType(), claimed.body(), secret)
                .chain(result -> record(claimed, result));
    }

    /**
     * Writes the attempt, the delivery's next state and, when it ended, the hook's failure streak,
     * in one statement. After a success of an ordered hook the same statement claims that hook's
     * next delivery, which the caller sends at once.
     */
    private Uni<Outcome> record(ClaimedDelivery claimed, AttemptResult result) {
        int maxAttempts = Math.max(1, config.retry().maxAttempts());
        int done = claimed.roundAttempts() + 1;
        String status;
        Instant next = Instant.now();
        if (result.success()) {
            status = DeliveryRepository.SUCCEEDED;
        } else if (result.permanent() || done >= maxAttempts) {
            status = DeliveryRepository.FAILED;
        } else {
            status = DeliveryRepository.RETRYING;
            next = next.plus(Backoff.delay(config.retry(), done));
        }
        boolean claimNext = result.success() && !claimed.parallel() && running;
        return deliveries.complete(pool, claimed, result, status, next, claimNext, config.dispatcher().claimLease())
                .chain(written -> {
                    if (written.isEmpty()) {
                        return Uni.createFrom().item(Outcome.LOST);
                    }
                    DeliveryRepository.Completion completion = written.get();
                    attempts.incrementAndGet();
                    metrics.recorded(status);
                    LOG.debugf("delivery %d (%s) attempt %d: %s -> %s", claimed.id(), claimed.deliveryUuid(), done,
                            result.describe(), status);
                    // an ordered hook whose delivery failed for good: its next delivery is due now
                    boolean wake = !claimed.parallel() && DeliveryRepository.FAILED.equals(status);
                    Outcome outcome = new Outcome(completion.next().orElse(null), wake);
                    Integer streak = completion.streak();
                    if (result.success() || streak == null || streak < config.maxConsecutiveFailures()) {
                        return Uni.createFrom().item(outcome);
                    }
                    return pool.withTransaction(tx -> disable(tx, claimed.hookId(), streak, result))
                            .onFailure().invoke(e -> LOG.warnf("hook %d: not deactivated after %d failures now, "
                                    + "the next failure tries again: %s", claimed.hookId(), streak, e.getMessage()))
                            .onFailure().recoverWithNull()
                            .replaceWith(outcome);
                });
    }

    private Uni<Void> disable(io.vertx.mutiny.sqlclient.SqlConnection tx, long hookId, int streak, AttemptResult last) {
        String reason = "deactivated after " + streak + " consecutive failed deliveries (last: " + last.describe()
                + "); fix the receiver, then set is_active to true";
        return hooks.disable(tx, hookId, reason)
                .chain(changed -> changed ? deliveries.failUnsent(tx, hookId, "not sent: the hook was " + reason)
                        .invoke(count -> LOG.infof("hook %d %s", hookId, reason)).replaceWithVoid()
                        : Uni.createFrom().voidItem());
    }

    private void finished(Lane lane, Outcome outcome) {
        if (outcome.next() != null) {
            chained.incrementAndGet();
            // claimed by this attempt's own statement: it joins its lane while this slot is still held,
            // so it queues behind other hooks' rows waiting for the same host instead of jumping them
            enqueue(outcome.next());
        }
        ClaimedDelivery next;
        synchronized (lane) {
            next = lane.waiting.poll();
            if (next == null) {
                lane.active--;
            }
        }
        inFlight.decrementAndGet();
        if (next != null) {
            deliver(next, lane);
        }
        // rows left behind by a full poll, or an ordered hook's next delivery, may be due now
        if (outcome.wake() || saturated.get()) {
            wake();
        }
    }

    private static String hostOf(String url) {
        try {
            String host = URI.create(url).getHost();
            return host == null ? url : host.toLowerCase(java.util.Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return url;
        }
    }

    /**
     * How an attempt ended for the dispatcher: the hook's next delivery when the attempt's statement
     * claimed it, and whether to look for due rows now.
     */
    private record Outcome(ClaimedDelivery next, boolean wake) {
        static final Outcome LOST = new Outcome(null, true);
    }

    /** The requests of one target host: at most max-per-host active, the rest waiting in order. */
    private static final class Lane {
        private int active;
        private final Deque<ClaimedDelivery> waiting = new ArrayDeque<>();
    }
}
