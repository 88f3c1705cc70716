package dev.shoal.platform.outbox;

import dev.shoal.platform.db.ChannelSubscriber;
import dev.shoal.platform.db.RowChangeListener;
import dev.shoal.platform.observability.TraceHeaders;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Publishes outbox rows to Kafka in insertion order and marks them sent once the broker has
 * acknowledged them ({@code acks=all}, idempotent producer). While Kafka is unreachable rows simply
 * wait; a row may be sent twice after a crash between the ack and the mark, which consumers absorb
 * by deduplicating on the event id. Rows are locked while a batch is in flight, so one relay at a
 * time publishes even when a service runs several replicas.
 *
 * <p>It wakes when there is work: a trigger announces on {@value #CHANNEL} each transaction that
 * wrote events, as it commits, and the relay listens there ({@link RowChangeListener}). With
 * nothing announced it still looks every {@code shoal.outbox.idle-check} (5 s); while it cannot
 * listen (the connection lost, {@code shoal.outbox.listen=false}) it looks every
 * {@code shoal.outbox.poll-interval} (50 ms), as it did before it listened: then each of the five
 * services asked PostgreSQL 20 times a second, three round trips each, idle or not.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    static final String CHANNEL = "outbox_event";

    private final Pool pool;
    private final Vertx vertx;
    private final OutboxConfig config;
    private final KafkaClients kafka;
    private final TraceHeaders trace;
    private final AtomicLong published = new AtomicLong();
    private volatile boolean running;
    private volatile Thread thread;
    private volatile KafkaProducer<String, String> producer;
    /** A permit per announcement (and per change of {@link #listening}): the relay looks again. */
    private final Semaphore wakeups = new Semaphore(0);
    private volatile boolean listening;
    private volatile RowChangeListener listener;

    public OutboxRelay(Pool pool, Vertx vertx, OutboxConfig config, KafkaClients kafka, TraceHeaders trace) {
        this.pool = pool;
        this.vertx = vertx;
        this.config = config;
        this.kafka = kafka;
        this.trace = trace;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        running = true;
        if (config.listen()) {
            listener = new RowChangeListener(pool, vertx, CHANNEL, new Wakeups());
            listener.start();
        }
        thread = new Thread(this::run, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        RowChangeListener channel = listener;
        if (channel != null) {
            channel.stop();
        }
        Thread current = thread;
        if (current != null) {
            current.interrupt();
            try {
                current.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeProducer();
    }

    /** Whether a committed event wakes the relay at once (it listens), rather than at its next poll; for tests. */
    public boolean listening() {
        return listening;
    }

    /** Events published since start; for metrics and tests. */
    public long published() {
        return published.get();
    }

    /** Rows not yet acknowledged by Kafka. */
    public Uni<Long> backlog() {
        return pool.query("SELECT count(*) FROM outbox_event WHERE sent_at IS NULL").execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }

    private void run() {
        kafka.ensureTopics();
        while (running) {
            try {
                wakeups.drainPermits(); // what was announced so far, this batch sees
                int sent = relayBatch();
                if (sent == 0) {
                    awaitWork();
                }
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warnf("outbox relay could not publish, retrying in %s: %s", config.retryDelay(), rootMessage(e));
                closeProducer();
                sleep(config.retryDelay());
            }
        }
    }

    /**
     * Until an announcement or a change of {@link #listening}, at most the idle check when listening
     * and the poll interval when not.
     */
    private void awaitWork() {
        Duration most = listening ? config.idleCheck() : config.pollInterval();
        try {
            wakeups.tryAcquire(most.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the listening connection tells: each wakes the relay, which looks for rows again. */
    private final class Wakeups implements ChannelSubscriber {

        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public void listening() {
            listening = true;
            wakeups.release(); // rows may have come while nobody listened
        }

        @Override
        public void deaf() {
            listening = false;
            wakeups.release(); // back to polling now, not after the idle check
        }

        @Override
        public void announced(String payload) {
            wakeups.release();
        }
    }

    private int relayBatch() {
        // The producer can block (up to max.block.ms) while the broker is away: hand the batch to
        // a worker thread so that never happens on the event loop that runs the SQL.
        return pool.withTransaction(tx -> lockBatch(tx)
                        .emitOn(Infrastructure.getDefaultWorkerPool())
                        .chain(rows -> rows.isEmpty()
                                ? Uni.createFrom().item(0)
                                : publish(rows).chain(() -> markSent(tx, rows))))
                .await().atMost(Duration.ofSeconds(60));
    }

    private Uni<List<Row>> lockBatch(SqlConnection tx) {
        return tx.preparedQuery("SELECT seq, topic, event_key, payload, trace_headers FROM outbox_event WHERE sent_at IS NULL "
                        + "ORDER BY seq LIMIT $1 FOR UPDATE")
                .execute(Tuple.of(config.batchSize()))
                .map(rows -> {
                    List<Row> list = new ArrayList<>();
                    rows.forEach(list::add);
                    return list;
                });
    }

    private Uni<Void> publish(List<Row> rows) {
        return Uni.createFrom().completionStage(() -> {
            KafkaProducer<String, String> current = producer();
            List<CompletableFuture<Void>> acks = new ArrayList<>(rows.size());
            for (Row row : rows) {
                String topic = row.getString("topic");
                ProducerRecord<String, String> record = new ProducerRecord<>(topic, row.getString("event_key"), row.getString("payload"));
                // Continue the writer's trace: a publish span under it, whose context the consumer picks up.
                Context parent = trace.restore(row.getString("trace_headers"));
                Span span = trace.messagingSpan(parent, topic + " publish", SpanKind.PRODUCER, topic);
                if (span.getSpanContext().isValid()) {
                    trace.inject(parent.with(span), record.headers());
                }
                CompletableFuture<Void> ack = new CompletableFuture<>();
                current.send(record, (metadata, error) -> {
                    if (error != null) {
                        span.setStatus(StatusCode.ERROR, error.getMessage());
                        ack.completeExceptionally(error);
                    } else {
                        ack.complete(null);
                    }
                    span.end();
                });
                acks.add(ack);
            }
            current.flush();
            return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
        });
    }

    private Uni<Integer> markSent(SqlConnection tx, List<Row> rows) {
        long[] seqs = rows.stream().mapToLong(r -> r.getLong("seq")).toArray();
        Long[] boxed = new Long[seqs.length];
        for (int i = 0; i < seqs.length; i++) {
            boxed[i] = seqs[i];
        }
        return tx.preparedQuery("UPDATE outbox_event SET sent_at = now() WHERE seq = ANY($1)")
                .execute(Tuple.of(boxed))
                .map(result -> {
                    published.addAndGet(rows.size());
                    return rows.size();
                });
    }

    private KafkaProducer<String, String> producer() {
        KafkaProducer<String, String> current = producer;
        if (current == null) {
            current = kafka.producer();
            producer = current;
        }
        return current;
    }

    private void closeProducer() {
        KafkaProducer<String, String> current = producer;
        producer = null;
        if (current != null) {
            current.close(Duration.ofSeconds(1));
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
