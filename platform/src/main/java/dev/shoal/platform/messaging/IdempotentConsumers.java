package dev.shoal.platform.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.observability.TraceHeaders;
import dev.shoal.platform.outbox.KafkaClients;
import dev.shoal.platform.outbox.OutboxConfig;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/** Runs every {@link EventHandler} bean on its own thread with exactly-once effects. */
@ApplicationScoped
public class IdempotentConsumers {

    private static final Logger LOG = Logger.getLogger(IdempotentConsumers.class);

    private final Instance<EventHandler> handlers;
    private final KafkaClients kafka;
    private final Pool pool;
    private final ObjectMapper mapper;
    private final OutboxConfig config;
    private final TraceHeaders trace;
    private final Vertx vertx;
    private final List<Worker> workers = new ArrayList<>();
    private final Map<String, AtomicLong> applied = new ConcurrentHashMap<>();
    private final Map<String, Long> lag = new ConcurrentHashMap<>();

    public IdempotentConsumers(Instance<EventHandler> handlers, KafkaClients kafka, Pool pool, ObjectMapper mapper,
                               OutboxConfig config, TraceHeaders trace, Vertx vertx) {
        this.handlers = handlers;
        this.kafka = kafka;
        this.pool = pool;
        this.mapper = mapper;
        this.config = config;
        this.trace = trace;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        for (EventHandler handler : handlers) {
            Worker worker = new Worker(handler);
            workers.add(worker);
            worker.start();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        workers.forEach(Worker::shutdown);
    }

    /** Events applied (not skipped as duplicates) per handler since start; for metrics and tests. */
    public long applied(String handlerName) {
        return applied.computeIfAbsent(handlerName, n -> new AtomicLong()).get();
    }

    /**
     * Records of {@code topic} this handler's consumer has not applied yet, summed over the
     * partitions assigned to this process (0 when the group gave all of them to other replicas);
     * NaN until the consumer has joined its group and fetched from the topic.
     * Measured by the consumer itself after every poll (its fetch responses carry the partitions'
     * end offsets), so it costs no request to the broker.
     */
    public double lag(String handlerName, String topic) {
        Long value = lag.get(lagKey(handlerName, topic));
        return value == null ? Double.NaN : value;
    }

    private static String lagKey(String handlerName, String topic) {
        return handlerName + '\u0000' + topic;
    }

    private final class Worker extends Thread {

        private final EventHandler handler;
        private volatile boolean running = true;
        private volatile KafkaConsumer<String, String> consumer;

        Worker(EventHandler handler) {
            super("consumer-" + handler.name());
            setDaemon(true);
            this.handler = handler;
        }

        void shutdown() {
            running = false;
            KafkaConsumer<String, String> current = consumer;
            if (current != null) {
                current.wakeup();
            }
            try {
                join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void run() {
            kafka.ensureTopics();
            while (running) {
                try (KafkaConsumer<String, String> current = kafka.consumer(handler.name())) {
                    consumer = current;
                    current.subscribe(handler.topics());
                    while (running) {
                        ConsumerRecords<String, String> records = current.poll(Duration.ofMillis(500));
                        for (TopicPartition partition : records.partitions()) {
                            consumePartition(current, partition, records.records(partition));
                        }
                        measureLag(current);
                    }
                } catch (WakeupException e) {
                    return;
                } catch (RuntimeException e) {
                    if (!running) {
                        return;
                    }
                    LOG.warnf("consumer %s failed, reconnecting: %s", handler.name(), e.getMessage());
                    pause(config.retryDelay());
                }
            }
        }

        private void consumePartition(KafkaConsumer<String, String> current, TopicPartition partition,
                                      List<ConsumerRecord<String, String>> records) {
            // One offset commit per partition and poll, not per record: applied_event already makes a
            // record seen twice (after a crash between its transaction and the commit) a no-op, and a
            // commit is a broker round trip that capped how fast a handler drains its partitions.
            long next = -1;
            for (ConsumerRecord<String, String> record : records) {
                if (!applyOnce(record)) {
                    commit(current, partition, next);
                    current.seek(partition, record.offset());
                    pause(config.retryDelay());
                    return;
                }
                next = record.offset() + 1;
            }
            commit(current, partition, next);
        }

        private void commit(KafkaConsumer<String, String> current, TopicPartition partition, long next) {
            if (next >= 0) {
                current.commitSync(Map.of(partition, new OffsetAndMetadata(next)));
            }
        }

        /** After a poll's records are applied (or one was put back), the position is what is done. */
        private void measureLag(KafkaConsumer<String, String> current) {
            Map<String, Long> perTopic = new HashMap<>();
            Map<String, Boolean> known = new HashMap<>();
            for (TopicPartition partition : current.assignment()) {
                perTopic.putIfAbsent(partition.topic(), 0L);
                OptionalLong partitionLag = current.currentLag(partition);
                if (partitionLag.isPresent()) {
                    perTopic.merge(partition.topic(), partitionLag.getAsLong(), Long::sum);
                    known.put(partition.topic(), true);
                }
            }
            for (String topic : handler.topics()) {
                if (!perTopic.containsKey(topic) && !perTopic.isEmpty()) {
                    // no partition of it is assigned here (another replica has them): nothing waits on us
                    lag.put(lagKey(handler.name(), topic), 0L);
                } else if (known.containsKey(topic)) {
                    lag.put(lagKey(handler.name(), topic), perTopic.get(topic));
                }
            }
        }

        private boolean applyOnce(ConsumerRecord<String, String> record) {
            EventEnvelope event;
            try {
                event = mapper.readValue(record.value(), EventEnvelope.class);
            } catch (Exception e) {
                LOG.errorf("consumer %s skips an unreadable record at %s-%d@%d: %s", handler.name(),
                        record.topic(), record.partition(), record.offset(), e.getMessage());
                return true;
            }
            Context parent = trace.extract(record.headers());
            Span span = trace.messagingSpan(parent, record.topic() + " process", SpanKind.CONSUMER, record.topic());
            span.setAttribute("messaging.consumer.group.name", handler.name());
            span.setAttribute("messaging.message.id", String.valueOf(event.id()));
            try {
                transaction(event, parent.with(span)).await().atMost(Duration.ofSeconds(60));
                span.end();
                return true;
            } catch (RuntimeException e) {
                span.setStatus(StatusCode.ERROR, String.valueOf(e.getMessage()));
                span.end();
                LOG.warnf(e, "consumer %s could not apply event %s (%s); it will be retried", handler.name(), event.id(), event.type());
                return false;
            }
        }

        private Uni<Void> transaction(EventEnvelope event, Context traced) {
            Uni<Void> work = Uni.createFrom().deferred(() -> pool.withTransaction(tx -> tx
                    .preparedQuery("INSERT INTO applied_event (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .execute(Tuple.of(handler.name(), event.id()))
                    .chain(result -> {
                        if (result.rowCount() == 0) {
                            return Uni.createFrom().voidItem();
                        }
                        return handler.apply(tx, event).invoke(() -> applied(handler.name(), 1));
                    })));
            if (!Span.fromContext(traced).getSpanContext().isValid()) {
                return work;
            }
            // Traced: run on a fresh duplicated Vert.x context holding the consumer span, so the
            // handler's SQL and the events it writes to the outbox (Context.current()) belong to it.
            io.vertx.core.Context duplicated = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
            return Uni.createFrom().emitter(emitter -> duplicated.runOnContext(ignored -> {
                Scope scope = traced.makeCurrent();
                work.subscribe().with(item -> {
                    scope.close();
                    emitter.complete(item);
                }, failure -> {
                    scope.close();
                    emitter.fail(failure);
                });
            }));
        }

        private void applied(String name, long count) {
            IdempotentConsumers.this.applied.computeIfAbsent(name, n -> new AtomicLong()).addAndGet(count);
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
