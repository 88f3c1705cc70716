package dev.shoal.pipeline.settings;

import java.util.List;
import java.util.Set;

/**
 * How a repository's pipelines run: whether CI is active for it, which events may start pipelines,
 * how long a pipeline may take, what its steps are trusted with, which file defines them, and which
 * pipelines wait for approval. Drone and Woodpecker show these on their repository objects.
 *
 * @param timeoutMinutes  the longest a pipeline may run
 * @param configFile      the pipeline file to read instead of the usual search, or null
 * @param visibility      public, private or internal; null means "as the repository"
 * @param requireApproval which pipelines wait in {@code blocked}: none, forks, pull_requests or all_events
 */
public record CiSettings(long repoId, boolean active, int timeoutMinutes, Trusted trusted, boolean allowPr,
        boolean allowPush, boolean allowTags, boolean allowDeploy, String configFile, String visibility,
        String requireApproval, List<String> cancelPreviousPipelineEvents, List<String> netrcTrusted) {

    public static final int DEFAULT_TIMEOUT_MINUTES = 60;
    public static final int MAX_TIMEOUT_MINUTES = 24 * 60;
    public static final List<String> APPROVAL_MODES = List.of("none", "forks", "pull_requests", "all_events");
    public static final List<String> VISIBILITIES = List.of("public", "private", "internal");
    public static final Set<String> EVENTS = Set.of("push", "tag", "pull_request", "deployment", "cron", "manual");

    /** What a step may ask for beyond an ordinary container. */
    public record Trusted(boolean network, boolean security, boolean volumes) {

        public boolean any() {
            return network || security || volumes;
        }
    }

    public static CiSettings defaults(long repoId) {
        return new CiSettings(repoId, true, DEFAULT_TIMEOUT_MINUTES, new Trusted(false, false, false), true, true, true,
                false, null, null, "forks", List.of(), List.of());
    }

    /** Whether a trigger of this event may start a pipeline at all. */
    public boolean allows(String event) {
        if (!active) {
            return false;
        }
        return switch (event) {
            case "push" -> allowPush;
            case "tag" -> allowTags;
            case "pull_request" -> allowPr;
            case "deployment" -> allowDeploy;
            default -> true;
        };
    }

    /** Whether a pipeline of this event (from a fork or not) must be approved before it is queued. */
    public boolean needsApproval(String event, boolean fork) {
        return switch (requireApproval) {
            case "all_events" -> !event.equals("manual");
            case "pull_requests" -> event.equals("pull_request");
            case "forks" -> fork;
            default -> false;
        };
    }
}
