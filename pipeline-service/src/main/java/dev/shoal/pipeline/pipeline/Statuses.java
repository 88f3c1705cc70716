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
    /** Waiting for someone to approve it (repository setting {@code require_approval}); never queued until then. */
    public static final String BLOCKED = "blocked";
    /** A blocked pipeline someone declined: it never runs. */
    public static final String DECLINED = "declined";

    public static final List<String> PIPELINE = List.of(PENDING, RUNNING, SUCCESS, FAILURE, CANCELLED, ERROR);
    public static final List<String> STEP = List.of(PENDING, RUNNING, SUCCESS, FAILURE, SKIPPED, CANCELLED);
    /** Every status a pipeline can have, for list filters (agents report only {@link #PIPELINE}). */
    public static final List<String> PIPELINE_ANY = List.of(PENDING, RUNNING, SUCCESS, FAILURE, CANCELLED, ERROR,
            BLOCKED, DECLINED);
    private static final Set<String> FINISHED = Set.of(SUCCESS, FAILURE, CANCELLED, ERROR, SKIPPED, DECLINED);

    private Statuses() {
    }

    public static boolean isFinished(String status) {
        return FINISHED.contains(status);
    }
}
