package dev.shoal.pipeline.compat.drone;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.pipeline.pipeline.CommitFacts;
import dev.shoal.pipeline.pipeline.PipelineRow;
import dev.shoal.pipeline.pipeline.Statuses;
import dev.shoal.pipeline.pipeline.StepRow;
import dev.shoal.pipeline.repo.Repo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Shoal pipeline as a Drone build: Drone 1.x fields with {@code stages} and their {@code steps},
 * plus the older reference's fields ({@code created_at}, {@code commit}, {@code jobs}, …). All times
 * are unix seconds (0 = not yet). Steps named {@code stage/step} (one file or document each) make
 * one stage per prefix; the others form the stage {@code default}.
 */
public record DroneBuild(long id, @JsonProperty("repo_id") long repoId, String trigger, long number, long parent,
                         String status, String error, String event, String action, String link, long timestamp,
                         String title, String message, String before, String after, String ref,
                         @JsonProperty("source_repo") String sourceRepo, String source, String target,
                         @JsonProperty("author_login") String authorLogin, @JsonProperty("author_name") String authorName,
                         @JsonProperty("author_email") String authorEmail, @JsonProperty("author_avatar") String authorAvatar,
                         String sender, Map<String, String> params, String cron,
                         @JsonProperty("deploy_to") String deployTo, @JsonProperty("deploy_id") long deployId,
                         boolean debug, long started, long finished, long created, long updated, long version,
                         List<Stage> stages,
                         @JsonProperty("created_at") long createdAt, @JsonProperty("enqueued_at") long enqueuedAt,
                         @JsonProperty("started_at") long startedAt, @JsonProperty("finished_at") long finishedAt,
                         String commit, String branch, String remote, String author,
                         @JsonProperty("link_url") String linkUrl, List<Job> jobs) {

    public record Stage(long id, @JsonProperty("repo_id") long repoId, @JsonProperty("build_id") long buildId, int number,
                        String name, String kind, String type, String status, String error, boolean errignore,
                        @JsonProperty("exit_code") int exitCode, String machine, String os, String arch,
                        long started, long stopped, long created, long updated, long version,
                        @JsonProperty("on_success") boolean onSuccess, @JsonProperty("on_failure") boolean onFailure,
                        @JsonProperty("depends_on") List<String> dependsOn, Map<String, String> labels, List<Step> steps) {
    }

    public record Step(long id, @JsonProperty("step_id") long stageId, int number, String name, String status,
                       @JsonProperty("exit_code") int exitCode, long started, long stopped, long version, String image,
                       boolean errignore) {
    }

    /** The older reference's job: one per step, numbered across the build. */
    public record Job(long id, int number, String status, @JsonProperty("enqueued_at") long enqueuedAt,
                      @JsonProperty("started_at") long startedAt, @JsonProperty("finished_at") long finishedAt,
                      @JsonProperty("exit_code") int exitCode, Map<String, String> environment) {
    }

    /** A stage of steps, with each step's number inside the stage (what the log path names). */
    public record StageGroup(String name, List<StepRow> steps) {
    }

    public static final String DEFAULT_STAGE = "default";

    public static List<StageGroup> stages(List<StepRow> steps) {
        Map<String, List<StepRow>> groups = new LinkedHashMap<>();
        for (StepRow step : steps) {
            groups.computeIfAbsent(stageName(step.name()), k -> new ArrayList<>()).add(step);
        }
        if (groups.isEmpty()) {
            groups.put(DEFAULT_STAGE, List.of());
        }
        List<StageGroup> out = new ArrayList<>();
        groups.forEach((name, list) -> out.add(new StageGroup(name, list)));
        return out;
    }

    static String stageName(String stepName) {
        int slash = stepName.indexOf('/');
        return slash > 0 ? stepName.substring(0, slash) : DEFAULT_STAGE;
    }

    static String stepName(String stepName) {
        int slash = stepName.indexOf('/');
        return slash > 0 ? stepName.substring(slash + 1) : stepName;
    }

    /**
     * The build of pipeline {@code p}; {@code authorAvatar} is the commit author's avatar URL (or "").
     * Message, author name and email and {@code timestamp} are the built commit's when the pipeline
     * knows them (a push); otherwise the message is the pull request's title, the author the user
     * who started it, and the timestamp the creation time.
     */
    public static DroneBuild of(Repo repo, PipelineRow p, List<StepRow> steps, Map<String, String> params,
                                String publicUrl, String authorAvatar) {
        String link = publicUrl + "/api/v1/repos/" + repo.org() + "/" + repo.name() + "/pipelines/" + p.number();
        String user = p.triggerUsername() == null ? "" : p.triggerUsername();
        List<StageGroup> groups = stages(steps);
        List<Stage> stages = new ArrayList<>();
        int stageNumber = 0;
        for (StageGroup group : groups) {
            stageNumber++;
            long stageId = group.steps().isEmpty() ? p.id() : group.steps().get(0).id();
            List<Step> out = new ArrayList<>();
            int n = 0;
            for (StepRow s : group.steps()) {
                out.add(new Step(s.id(), stageId, ++n, stepName(s.name()), DroneWords.status(s.status()),
                        s.exitCode() == null ? 0 : s.exitCode(), DroneWords.unix(s.startedAt()),
                        DroneWords.unix(s.finishedAt()), 1, s.image() == null ? "" : s.image(), false));
            }
            String status = groups.size() == 1 ? DroneWords.status(p.status()) : stageStatus(p.status(), group.steps());
            stages.add(new Stage(stageId, repo.id(), p.id(), stageNumber, group.name(), "pipeline", "docker", status, "",
                    false, exitCode(group.steps()), "", "linux", "amd64", first(group.steps(), true),
                    last(group.steps()), DroneWords.unix(p.createdAt()),
                    DroneWords.latest(p.createdAt(), p.startedAt(), p.finishedAt()), 1, true, false, List.of(),
                    p.labels(), out));
        }
        List<Job> jobs = steps.stream().map(s -> new Job(s.id(), s.number(), DroneWords.status(s.status()),
                DroneWords.unix(p.createdAt()), DroneWords.unix(s.startedAt()), DroneWords.unix(s.finishedAt()),
                s.exitCode() == null ? 0 : s.exitCode(), Map.of())).toList();
        long created = DroneWords.unix(p.createdAt());
        // A pull request build: ref refs/pull/N/head, source = its branch, target (and the older
        // reference's branch) = the branch it merges into, as Drone reports them.
        String target = p.isPullRequest() && p.targetBranch() != null ? p.targetBranch() : p.branch();
        String title = p.title() == null ? "" : p.title();
        CommitFacts facts = p.commitFacts();
        String message = facts.message() != null ? facts.message() : title;
        String authorName = facts.authorName() != null ? facts.authorName() : user;
        String authorEmail = facts.authorEmail() != null ? facts.authorEmail() : "";
        long timestamp = facts.timestamp() != null ? DroneWords.unix(facts.timestamp()) : created;
        return new DroneBuild(p.id(), repo.id(), user, p.number(), 0, DroneWords.status(p.status()),
                p.error() == null ? "" : p.error(), DroneWords.event(p.event()), "", link, timestamp, title, message, "",
                p.commitNode(), p.ref(), "", p.branch(), target, user, authorName, authorEmail, authorAvatar, user, params,
                "", "", 0, false,
                DroneWords.unix(p.startedAt()), DroneWords.unix(p.finishedAt()), created,
                DroneWords.latest(p.createdAt(), p.startedAt(), p.finishedAt()), 1, stages,
                created, created, DroneWords.unix(p.startedAt()), DroneWords.unix(p.finishedAt()), p.commitNode(),
                target, publicUrl + "/" + repo.org() + "/" + repo.name() + ".git", user, link, jobs);
    }

    /** The status of one stage of several: the worst of its steps while the build is not finished. */
    static String stageStatus(String pipelineStatus, List<StepRow> steps) {
        List<String> statuses = steps.stream().map(StepRow::status).toList();
        if (statuses.contains(Statuses.RUNNING)) {
            return Statuses.RUNNING;
        }
        if (statuses.contains(Statuses.FAILURE)) {
            return Statuses.FAILURE;
        }
        if (statuses.contains(Statuses.CANCELLED)) {
            return "killed";
        }
        if (statuses.contains(Statuses.PENDING)) {
            return Statuses.isFinished(pipelineStatus) ? DroneWords.status(pipelineStatus) : Statuses.PENDING;
        }
        return statuses.stream().allMatch(Statuses.SKIPPED::equals) ? Statuses.SKIPPED : Statuses.SUCCESS;
    }

    private static int exitCode(List<StepRow> steps) {
        return steps.stream().map(StepRow::exitCode).filter(c -> c != null && c != 0).findFirst().orElse(0);
    }

    private static long first(List<StepRow> steps, boolean started) {
        return steps.stream().filter(s -> s.startedAt() != null).mapToLong(s -> DroneWords.unix(s.startedAt()))
                .min().orElse(0);
    }

    private static long last(List<StepRow> steps) {
        if (steps.stream().anyMatch(s -> s.finishedAt() == null && !Statuses.isFinished(s.status()))) {
            return 0;
        }
        return steps.stream().mapToLong(s -> DroneWords.unix(s.finishedAt())).max().orElse(0);
    }
}
