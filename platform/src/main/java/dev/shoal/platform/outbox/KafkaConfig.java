package dev.shoal.platform.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "shoal.kafka")
public interface KafkaConfig {

    @WithDefault("localhost:19092")
    String bootstrapServers();

    /** Partitions for topics Shoal creates at start. */
    @WithDefault("6")
    int partitions();

    /** Replication factor for topics Shoal creates (3 in production, 1 on one machine). */
    @WithDefault("1")
    short replicationFactor();

    /** Prefix of consumer group ids, so several stacks can share a broker. */
    @WithDefault("shoal")
    String groupPrefix();
}
