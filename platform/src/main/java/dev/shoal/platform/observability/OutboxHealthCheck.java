package dev.shoal.platform.observability;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Events wait in the outbox while Kafka is away; that is by design, so a backlog alone is not a
 * failure. The check turns DOWN only when the oldest unsent event is older than
 * {@code shoal.observability.outbox-max-age}: then consumers elsewhere are missing changes.
 */
@Readiness
@ApplicationScoped
public class OutboxHealthCheck implements AsyncHealthCheck {

    private final OutboxBacklog backlog;
    private final ObservabilityConfig config;

    public OutboxHealthCheck(OutboxBacklog backlog, ObservabilityConfig config) {
        this.backlog = backlog;
        this.config = config;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        long maxAge = config.outboxMaxAge().toSeconds();
        return backlog.sample()
                .map(s -> HealthCheckResponse.named("outbox")
                        .status(s.oldestAgeSeconds() <= maxAge)
                        .withData("backlog", s.rows())
                        .withData("oldest_age_seconds", (long) s.oldestAgeSeconds())
                        .withData("max_age_seconds", maxAge)
                        .build())
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named("outbox").down()
                        .withData("error", e.getClass().getSimpleName() + ": " + e.getMessage()).build());
    }
}
