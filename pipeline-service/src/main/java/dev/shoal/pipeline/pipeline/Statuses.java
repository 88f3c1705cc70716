package dev.shoal.pipeline.pipeline;

import java.util.List;
import java.util.Set;

/** The status words of the Isurus API. */
public final class Statuses {

    public static final String PENDING = "pending";
    public static final String RUNNING = "running";
    public static final String SUCCESS = "success";
    public static final String FAILURE = "failure";
    public static final String CANCELLED = "cancelled";
    public static final String ERROR = "error";
    public static final String SKIPPED = "skipped";

    public static final List<String> PIPELINE = List.of(PENDING, RUNNING, SUCCESS, FAILURE, CANCELLED, ERROR);
    public static final List<String> STEP = List.of(PENDING, RUNNING, SUCCESS, FAILURE, SKIPPED, CANCELLED);
    private static final Set<String> FINISHED = Set.of(SUCCESS, FAILURE, CANCELLED, ERROR, SKIPPED);

    private Statuses() {
    }

    public static boolean isFinished(String status) {
        return FINISHED.contains(status);
    }
}
