package dev.shoal.platform.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.outbox.KafkaClients;
import dev.shoal.platform.outbox.OutboxConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    private final List<Worker> workers = new ArrayList<>();
    private final Map<String, AtomicLong> applied = new ConcurrentHashMap<>();

    public IdempotentConsumers(Instance<EventHandler> handlers, KafkaClients kafka, Pool pool, ObjectMapper mapper,
                               OutboxConfig config) {
        this.handlers = handlers;
        this.kafka = kafka;
        this.pool = pool;
        this.mapper = mapper;
        this.config = config;
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
            for (ConsumerRecord<String, String> record : records) {
                if (!applyOnce(record)) {
                    current.seek(partition, record.offset());
                    pause(config.retryDelay());
                    return;
                }
                current.commitSync(Map.of(partition, new OffsetAndMetadata(record.offset() + 1)));
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
            try {
                pool.withTransaction(tx -> tx
                                .preparedQuery("INSERT INTO applied_event (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                                .execute(Tuple.of(handler.name(), event.id()))
                                .chain(result -> {
                                    if (result.rowCount() == 0) {
                                        return Uni.createFrom().voidItem();
                                    }
                                    return handler.apply(tx, event).invoke(() -> applied(handler.name(), 1));
                                }))
                        .await().atMost(Duration.ofSeconds(60));
                return true;
            } catch (RuntimeException e) {
                LOG.warnf(e, "consumer %s could not apply event %s (%s); it will be retried", handler.name(), event.id(), event.type());
                return false;
            }
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
