package dev.shoal.platform.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.platform.error.DatabaseOutage;
import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.Topics;
import dev.shoal.platform.observability.TraceHeaders;
import dev.shoal.platform.outbox.KafkaClients;
import dev.shoal.platform.outbox.KafkaConfig;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs every {@link EventHandler} bean on its own thread with exactly-once effects. An event whose
 * handler keeps failing is retried with exponential backoff ({@link ConsumerRetryConfig}), then sent
 * to the dead-letter topic as a {@link DeadLetter} and passed over, so one poison event cannot stop
 * its partition; a database outage is retried without end, as every event would fail alike.
 */
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
    private final Map<String, AtomicLong> deadLettered = new ConcurrentHashMap<>();
    private final ConsumerRetryConfig retry;
    private final KafkaConfig kafkaConfig;
    private final String service;
    private KafkaProducer<String, String> deadLetters;

    public IdempotentConsumers(Instance<EventHandler> handlers, KafkaClients kafka, Pool pool, ObjectMapper mapper,
                               OutboxConfig config, TraceHeaders trace, Vertx vertx, ConsumerRetryConfig retry,
                               KafkaConfig kafkaConfig,
                               @ConfigProperty(name = "quarkus.application.name", defaultValue = "shoal") String service) {
        this.handlers = handlers;
        this.kafka = kafka;
        this.pool = pool;
        this.mapper = mapper;
        this.config = config;
        this.trace = trace;
        this.vertx = vertx;
        this.retry = retry;
        this.kafkaConfig = kafkaConfig;
        this.service = service;
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
        synchronized (this) {
            if (deadLetters != null) {
                deadLetters.close(Duration.ofSeconds(5));
                deadLetters = null;
            }
        }
    }

    /** This service's name, as dead letters and the dead-letter metric give it. */
    public String service() {
        return service;
    }

    /** Events of {@code topic} this handler sent to the dead-letter topic since start; for metrics and tests. */
    public long deadLettered(String handlerName, String topic) {
        return deadLettered.computeIfAbsent(lagKey(handlerName, topic), k -> new AtomicLong()).get();
    }

    /** One producer for every worker's dead letters (thread-safe), made when the first is needed. */
    private synchronized KafkaProducer<String, String> deadLetterProducer() {
        if (deadLetters == null) {
            deadLetters = kafka.producer();
        }
        return deadLetters;
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
        /** Per partition: the offset being retried and the attempts made at it. */
        private final Map<TopicPartition, long[]> attempts = new HashMap<>();
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
                Failure failure = applyOnce(record);
                if (failure != null && !giveUp(partition, record, failure)) {
                    commit(current, partition, next);
                    current.seek(partition, record.offset());
                    pause(failure.pauseFor());
                    return;
                }
                attempts.remove(partition);
                next = record.offset() + 1;
            }
            commit(current, partition, next);
        }

        /**
         * Counts a failed attempt at {@code record}; true once it is in the dead-letter topic (the
         * partition may move on), false while it is to be tried again after {@link Failure#pauseFor()}.
         */
        private boolean giveUp(TopicPartition partition, ConsumerRecord<String, String> record, Failure failure) {
            if (failure.outage()) {
                return false; // not the event's fault: every event would fail the same way
            }
            long[] seen = attempts.get(partition);
            if (seen == null || seen[0] != record.offset()) {
                seen = new long[] {record.offset(), 0};
                attempts.put(partition, seen);
            }
            int attempt = (int) ++seen[1];
            if (!failure.unreadable() && attempt < retry.maxAttempts()) {
                long backoff = retry.retryBackoff().toMillis() << Math.min(attempt - 1, 20);
                failure.retryAfter(Duration.ofMillis(Math.min(backoff, retry.maxRetryBackoff().toMillis())));
                return false;
            }
            try {
                deadLetter(record, failure, attempt);
                return true;
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                LOG.warnf("consumer %s could not dead-letter %s-%d@%d, will try again: %s", handler.name(),
                        record.topic(), record.partition(), record.offset(), e.getMessage());
                failure.retryAfter(config.retryDelay());
                return false;
            }
        }

        private void deadLetter(ConsumerRecord<String, String> record, Failure failure, int attempt) throws Exception {
            Throwable error = failure.error();
            DeadLetter letter = new DeadLetter(record.topic(), record.partition(), record.offset(), record.key(),
                    kafkaConfig.groupPrefix() + "." + handler.name(), service, handler.name(),
                    failure.event() == null || failure.event().id() == null ? null : failure.event().id().toString(),
                    failure.event() == null ? null : failure.event().type(),
                    error.getClass().getName(), String.valueOf(error.getMessage()), attempt, Instant.now(), record.value());
            // the original headers (trace context) travel along, so a replay continues the same trace
            ProducerRecord<String, String> out = new ProducerRecord<>(Topics.DEAD_LETTER, null, record.key(),
                    mapper.writeValueAsString(letter), record.headers());
            deadLetterProducer().send(out).get(15, TimeUnit.SECONDS);
            deadLettered.computeIfAbsent(lagKey(handler.name(), record.topic()), k -> new AtomicLong()).incrementAndGet();
            LOG.errorf("consumer %s gave up on %s-%d@%d (event %s, %s) after %d attempt(s) and sent it to %s: %s: %s",
                    handler.name(), record.topic(), record.partition(), record.offset(), letter.eventId(), letter.eventType(),
                    attempt, Topics.DEAD_LETTER, letter.errorClass(), letter.errorMessage());
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

        /** Null when the record is applied (or was already), else what went wrong. */
        private Failure applyOnce(ConsumerRecord<String, String> record) {
            EventEnvelope event;
            try {
                event = mapper.readValue(record.value(), EventEnvelope.class);
            } catch (Exception e) {
                LOG.errorf("consumer %s cannot read the record at %s-%d@%d: %s", handler.name(),
                        record.topic(), record.partition(), record.offset(), e.getMessage());
                return new Failure(null, e, false, true);
            }
            Context parent = trace.extract(record.headers());
            Span span = trace.messagingSpan(parent, record.topic() + " process", SpanKind.CONSUMER, record.topic());
            span.setAttribute("messaging.consumer.group.name", handler.name());
            span.setAttribute("messaging.message.id", String.valueOf(event.id()));
            try {
                transaction(event, parent.with(span)).await().atMost(Duration.ofSeconds(60));
                span.end();
                return null;
            } catch (RuntimeException e) {
                span.setStatus(StatusCode.ERROR, String.valueOf(e.getMessage()));
                span.end();
                LOG.warnf(e, "consumer %s could not apply event %s (%s)", handler.name(), event.id(), event.type());
                return new Failure(event, e, DatabaseOutage.causedBy(e), false);
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

    /** A failed attempt: the event (null when unreadable), the cause, and how long to wait before the next. */
    private final class Failure {
        private final EventEnvelope event;
        private final Throwable error;
        private final boolean outage;
        private final boolean unreadable;
        private Duration wait;

        Failure(EventEnvelope event, Throwable error, boolean outage, boolean unreadable) {
            this.event = event;
            this.error = error;
            this.outage = outage;
            this.unreadable = unreadable;
            this.wait = config.retryDelay();
        }

        EventEnvelope event() {
            return event;
        }

        Throwable error() {
            return error;
        }

        boolean outage() {
            return outage;
        }

        /** Unreadable records cannot get better by waiting: they are dead-lettered at once. */
        boolean unreadable() {
            return unreadable;
        }

        Duration pauseFor() {
            return wait;
        }

        void retryAfter(Duration duration) {
            wait = duration;
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
