package dev.shoal.platform.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts the real engines a service needs in a {@code @QuarkusTest}: embedded PostgreSQL (one
 * database per service, named by the {@code database} argument), a KRaft Kafka broker, and the
 * internal JWT keys. Shared by all tests of a module run.
 */
public class ShoalTestResources implements QuarkusTestResourceLifecycleManager {

    private String database = "shoal_test";

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(PostgresServer.shared().quarkusConfig(database));
        config.put("shoal.kafka.bootstrap-servers", KafkaBroker.shared().bootstrapServers());
        InternalKeys keys = InternalKeys.shared();
        config.put("shoal.internal-jwt.public-key-location", keys.publicPem().toUri().toString());
        config.put("shoal.internal-jwt.private-key-location", keys.privatePem().toString());
        return config;
    }

    @Override
    public void stop() {
        // The engines live for the whole JVM, so every test class of the module shares them.
    }
}
