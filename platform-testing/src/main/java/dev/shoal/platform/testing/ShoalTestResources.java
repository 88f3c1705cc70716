package dev.shoal.platform.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts the real engines a service needs in a {@code @QuarkusTest}: embedded PostgreSQL (one
 * database per service, named by the {@code database} argument), a KRaft Kafka broker, and the
 * internal JWT keys (one pair per service). Shared by all tests of a module run.
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
        // Each service under test signs with its own key and trusts the issuers its
        // application.properties names, as deployed; tests mint tokens with InternalKeys.
        config.put("shoal.internal-jwt.private-key-location", keys.ownPrivateKeyLocation());
        config.put("shoal.internal-jwt.public-keys-dir", keys.publicDir().toString());
        return config;
    }

    @Override
    public void stop() {
        // The engines live for the whole JVM, so every test class of the module shares them.
    }
}
