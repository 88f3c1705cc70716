package dev.shoal.platform.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.event.Topics;
import dev.shoal.platform.outbox.KafkaClients;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads and replays the dead-letter topic. The topic itself is the store: a dead letter's id is its
 * place there ({@code <partition>-<offset>}), listing reads the topic from its start, and a replay
 * publishes the original value under the original key (and headers) to the original topic. Consumers
 * dedupe by event id, so replaying an event whose handler now succeeds applies it once, and replaying
 * one already applied does nothing. Blocking: call it from a worker thread.
 */
@ApplicationScoped
public class DeadLetterTopic {

    private static final Pattern ID = Pattern.compile("(\\d{1,9})-(\\d{1,18})");
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(15);

    private final KafkaClients kafka;
    private final ObjectMapper mapper;

    public DeadLetterTopic(KafkaClients kafka, ObjectMapper mapper) {
        this.kafka = kafka;
        this.mapper = mapper;
    }

    /** A dead letter and its id on the dead-letter topic. */
    public record Entry(String id, DeadLetter letter) {
    }

    /** Every dead letter in the topic (as far as its retention reaches), newest first. */
    public List<Entry> list() {
        kafka.ensureTopics();
        List<Entry> entries = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = kafka.consumer("dead-letter-reader")) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.DEAD_LETTER, READ_TIMEOUT).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, READ_TIMEOUT);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (!reached(consumer, ends)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the dead-letter topic could not be read within " + READ_TIMEOUT.toSeconds() + " s");
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    entries.add(entry(record));
                }
            }
        }
        entries.sort(Comparator.comparing((Entry e) -> e.letter().deadLetteredAt(), Comparator.nullsLast(Comparator.reverseOrder())));
        return entries;
    }

    /** Publishes the dead letter {@code id}'s original record again; 404 when there is none. */
    public Entry replay(String id) {
        Matcher m = ID.matcher(id);
        if (!m.matches()) {
            throw new ValidationException("a dead letter's id is <partition>-<offset>, like 0-42");
        }
        TopicPartition partition = new TopicPartition(Topics.DEAD_LETTER, Integer.parseInt(m.group(1)));
        long offset = Long.parseLong(m.group(2));
        ConsumerRecord<String, String> found = null;
        try (KafkaConsumer<String, String> consumer = kafka.consumer("dead-letter-reader")) {
            List<PartitionInfo> partitions = consumer.partitionsFor(Topics.DEAD_LETTER, READ_TIMEOUT);
            if (partitions.stream().noneMatch(p -> p.partition() == partition.partition())) {
                throw new NotFoundException("no dead letter " + id);
            }
            consumer.assign(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), READ_TIMEOUT).get(partition);
            if (offset >= end) {
                throw new NotFoundException("no dead letter " + id);
            }
            consumer.seek(partition, offset);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (found == null && consumer.position(partition) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() == offset) {
                        found = record;
                    }
                }
            }
        }
        if (found == null) {
            throw new NotFoundException("no dead letter " + id + " (past the topic's retention)");
        }
        Entry entry = entry(found);
        DeadLetter letter = entry.letter();
        if (letter.topic() == null || letter.value() == null) {
            throw new ValidationException("dead letter " + id + " does not name its original topic and value, so it cannot be replayed");
        }
        try (KafkaProducer<String, String> producer = kafka.producer()) {
            producer.send(new ProducerRecord<>(letter.topic(), null, letter.key(), letter.value(), found.headers()))
                    .get(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replaying " + id, e);
        } catch (Exception e) {
            throw new IllegalStateException("Kafka did not take the replay of " + id + ": " + e.getMessage(), e);
        }
        return entry;
    }

    private static boolean reached(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private Entry entry(ConsumerRecord<String, String> record) {
        String id = record.partition() + "-" + record.offset();
        try {
            return new Entry(id, mapper.readValue(record.value(), DeadLetter.class));
        } catch (Exception e) {
            // not written by Shoal: shown as it is, with nothing to replay
            return new Entry(id, new DeadLetter(null, -1, -1, record.key(), null, null, null, null, null,
                    e.getClass().getName(), "not a dead letter: " + e.getMessage(), 0, null, record.value()));
        }
    }
}
