package dev.shoal.platform.event;

import java.util.List;

/** The Kafka topics Shoal publishes to. Keys are the aggregate's repository id (user/org id on identity). */
public final class Topics {

    public static final String IDENTITY = "shoal.identity";
    public static final String REPO = "shoal.repo";
    public static final String ISSUE = "shoal.issue";
    public static final String PIPELINE = "shoal.pipeline";
    /**
     * Events a consumer gave up on after its retries, wrapped in a
     * {@link dev.shoal.platform.messaging.DeadLetter}; listed and replayed by site admins through the gateway.
     */
    public static final String DEAD_LETTER = "shoal.deadletter";
    /** Every topic Shoal creates. */
    public static final List<String> ALL = List.of(IDENTITY, REPO, ISSUE, PIPELINE, DEAD_LETTER);

    private Topics() {
    }
}
