package dev.shoal.platform.observability;

import dev.shoal.platform.outbox.KafkaConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Whether the Kafka cluster answers a metadata request within {@code shoal.observability.kafka-timeout}.
 * A service without Kafka still serves reads and queues its events in the outbox, but it is not
 * healthy: readiness says so, with the reason. Results are reused for
 * {@code shoal.observability.kafka-cache} so that probes from several sources cost one request.
 * Blocking (it waits on the admin client), which SmallRye Health runs on a worker thread.
 */
@Readiness
@ApplicationScoped
public class KafkaHealthCheck implements HealthCheck {

    private final KafkaConfig kafka;
    private final ObservabilityConfig config;
    private Admin admin;
    private HealthCheckResponse last;
    private long lastAt;

    public KafkaHealthCheck(KafkaConfig kafka, ObservabilityConfig config) {
        this.kafka = kafka;
        this.config = config;
    }

    @Override
    public synchronized HealthCheckResponse call() {
        long now = System.nanoTime();
        if (last == null || now - lastAt >= config.kafkaCache().toNanos()) {
            last = describe();
            lastAt = System.nanoTime();
        }
        return last;
    }

    private HealthCheckResponse describe() {
        long timeoutMs = Math.max(1, config.kafkaTimeout().toMillis());
        try {
            DescribeClusterResult cluster = admin().describeCluster(new DescribeClusterOptions().timeoutMs((int) timeoutMs));
            Collection<Node> nodes = cluster.nodes().get(timeoutMs, TimeUnit.MILLISECONDS);
            String clusterId = cluster.clusterId().get(timeoutMs, TimeUnit.MILLISECONDS);
            return HealthCheckResponse.named("kafka").up()
                    .withData("bootstrap_servers", kafka.bootstrapServers())
                    .withData("cluster_id", String.valueOf(clusterId))
                    .withData("brokers", nodes.size())
                    .build();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return HealthCheckResponse.named("kafka").down()
                    .withData("bootstrap_servers", kafka.bootstrapServers())
                    .withData("error", "no answer within " + timeoutMs + " ms: " + rootMessage(e))
                    .build();
        }
    }

    private Admin admin() {
        if (admin == null) {
            Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(1, config.kafkaTimeout().toMillis())));
            props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(1, config.kafkaTimeout().toMillis())));
            props.put(AdminClientConfig.CLIENT_ID_CONFIG, "shoal-health");
            // The client reconnects by itself after an outage; keeping it avoids a new connection per probe.
            admin = Admin.create(props);
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(1));
            admin = null;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
