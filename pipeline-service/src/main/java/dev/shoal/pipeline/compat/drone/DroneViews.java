package dev.shoal.pipeline.compat.drone;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** Drone's smaller objects and request bodies. */
public final class DroneViews {

    private DroneViews() {
    }

    /** Drone's error body. */
    public record DroneError(String message) {
    }

    /** One line of a step's log (Drone 1.x): its index, its text with the newline, seconds since the step started. */
    public record LogLine(long pos, String out, long time) {
    }

    /** {@code POST …/encrypt}: the plaintext in, the sealed text out, both under {@code data}. */
    public record EncryptRequest(String data) {
    }

    public record Encrypted(String data) {
    }

    /** A secret as Drone shows it: never its value. */
    public record DroneSecret(@JsonProperty("repo_id") long repoId, String name,
                              @JsonProperty("pull_request") boolean pullRequest,
                              @JsonProperty("pull_request_push") boolean pullRequestPush, List<String> events) {
    }

    public record SecretRequest(String name, String data, @JsonProperty("pull_request") Boolean pullRequest,
                                @JsonProperty("pull_request_push") Boolean pullRequestPush) {
    }

    public record DroneCron(long id, @JsonProperty("repo_id") long repoId, String name, String expr, long next, long prev,
                            String event, String branch, String target, boolean disabled, long created, long updated,
                            long version) {
    }

    public record CronRequest(String name, String expr, String branch, String target, Boolean disabled, String event) {
    }

    /** The body of {@code PATCH /api/repos/{owner}/{name}}: Drone 1.x settings and the older reference's. */
    public record RepoPatch(Long timeout, Boolean trusted, @JsonProperty("allow_pr") Boolean allowPr,
                            @JsonProperty("allow_push") Boolean allowPush,
                            @JsonProperty("allow_deploys") Boolean allowDeploys,
                            @JsonProperty("allow_tags") Boolean allowTags,
                            @JsonProperty("config_path") String configPath, String visibility,
                            @JsonProperty("private") Boolean isPrivate, @JsonProperty("protected") Boolean isProtected,
                            @JsonProperty("ignore_forks") Boolean ignoreForks,
                            @JsonProperty("ignore_pull_requests") Boolean ignorePullRequests,
                            @JsonProperty("auto_cancel_pull_requests") Boolean autoCancelPullRequests,
                            @JsonProperty("auto_cancel_pushes") Boolean autoCancelPushes,
                            @JsonProperty("auto_cancel_running") Boolean autoCancelRunning, Long counter) {
    }

    /** A queued or running stage ({@code GET /api/queue}). */
    public record QueueItem(long id, @JsonProperty("repo_id") long repoId, @JsonProperty("build_id") long buildId,
                            int number, String name, String kind, String type, String status, String machine, String os,
                            String arch, long created, long updated, long started, long version,
                            Map<String, String> labels, String namespace, @JsonProperty("repo") String repoName,
                            @JsonProperty("build_number") int buildNumber) {
    }
}
