package dev.shoal.platform.outbox;

import dev.shoal.platform.observability.TraceHeaders;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
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
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final Pool pool;
    private final OutboxConfig config;
    private final KafkaClients kafka;
    private final TraceHeaders trace;
    private final AtomicLong published = new AtomicLong();
    private volatile boolean running;
    private volatile Thread thread;
    private volatile KafkaProducer<String, String> producer;

    public OutboxRelay(Pool pool, OutboxConfig config, KafkaClients kafka, TraceHeaders trace) {
        this.pool = pool;
        this.config = config;
        this.kafka = kafka;
        this.trace = trace;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
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
                int sent = relayBatch();
                if (sent == 0) {
                    sleep(config.pollInterval());
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
