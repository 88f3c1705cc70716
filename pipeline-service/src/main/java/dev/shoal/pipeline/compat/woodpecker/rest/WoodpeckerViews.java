package dev.shoal.pipeline.compat.woodpecker.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.pipeline.agent.AgentDetails;
import dev.shoal.pipeline.cron.Cron;
import dev.shoal.pipeline.pipeline.CommitFacts;
import dev.shoal.pipeline.pipeline.PipelineRow;
import dev.shoal.pipeline.pipeline.Statuses;
import dev.shoal.pipeline.pipeline.StepRow;
import dev.shoal.pipeline.pipeline.service.AuthorAvatars;
import dev.shoal.pipeline.registry.Registry;
import dev.shoal.pipeline.repo.Repo;
import dev.shoal.pipeline.secret.SecretDetails;
import dev.shoal.pipeline.settings.CiSettings;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Woodpecker's JSON shapes (field names as its API documents them; times in unix seconds), mapped
 * from Shoal's own records. Shoal has one workflow per pipeline: its steps are the workflow's children.
 */
public final class WoodpeckerViews {

    /** Shoal is the only forge: it has id 1. */
    public static final long FORGE_ID = 1;

    private WoodpeckerViews() {
    }

    /** Shoal's status words in Woodpecker's: only 'cancelled' differs ('killed'). */
    public static String status(String shoal) {
        return Statuses.CANCELLED.equals(shoal) ? "killed" : shoal;
    }

    /** Woodpecker's status words in Shoal's, for filters. */
    public static String shoalStatus(String woodpecker) {
        return "killed".equals(woodpecker) ? Statuses.CANCELLED : woodpecker;
    }

    static long unix(Instant time) {
        return time == null ? 0 : time.getEpochSecond();
    }

    public record Trusted(boolean network, boolean security, boolean volumes) {
    }

    public record RepoView(long id, @JsonProperty("forge_id") long forgeId,
                           @JsonProperty("forge_remote_id") String forgeRemoteId,
                           @JsonProperty("org_id") long orgId, String owner, String name,
                           @JsonProperty("full_name") String fullName, @JsonProperty("avatar_url") String avatarUrl,
                           @JsonProperty("forge_url") String forgeUrl, @JsonProperty("clone_url") String cloneUrl,
                           @JsonProperty("clone_url_ssh") String cloneUrlSsh,
                           @JsonProperty("default_branch") String defaultBranch,
                           @JsonProperty("pr_enabled") boolean prEnabled, @JsonProperty("private") boolean isPrivate,
                           String visibility, long timeout, boolean active, @JsonProperty("allow_pr") boolean allowPr,
                           @JsonProperty("allow_deploy") boolean allowDeploy,
                           @JsonProperty("config_file") String configFile,
                           @JsonProperty("require_approval") String requireApproval, Trusted trusted,
                           @JsonProperty("cancel_previous_pipeline_events") List<String> cancelPreviousPipelineEvents,
                           @JsonProperty("netrc_trusted") List<String> netrcTrusted) {

        public static RepoView of(Repo repo, CiSettings s, WoodpeckerSupport support) {
            String web = support.publicUrl() + "/" + repo.org() + "/" + repo.name();
            return new RepoView(repo.id(), FORGE_ID, String.valueOf(repo.id()), repo.orgId() == null ? 0 : repo.orgId(),
                    repo.org(), repo.name(), repo.fullName(), "", web, web + ".git", support.sshUrl(repo), repo.defaultBranch(),
                    s.allowPr(), repo.isPrivate(), s.visibility() != null ? s.visibility() : repo.isPrivate() ? "private" : "public",
                    s.timeoutMinutes(), s.active(), s.allowPr(), s.allowDeploy(), s.configFile() == null ? "" : s.configFile(),
                    s.requireApproval(), new Trusted(s.trusted().network(), s.trusted().security(), s.trusted().volumes()),
                    s.cancelPreviousPipelineEvents(), s.netrcTrusted());
        }
    }

    public record Permission(boolean pull, boolean push, boolean admin, long synced, long created, long updated) {
    }

    public record StepView(long id, String uuid, @JsonProperty("pipeline_id") long pipelineId, int pid, int ppid,
                           String name, String state, String error, boolean failure,
                           @JsonProperty("exit_code") int exitCode, long started, long finished, String type) {

        static StepView of(PipelineRow p, StepRow s) {
            return new StepView(s.id(), "step-" + s.id(), p.id(), s.number() + 1, 1, s.name(), status(s.status()), "",
                    false, s.exitCode() == null ? 0 : s.exitCode(), unix(s.startedAt()), unix(s.finishedAt()), "commands");
        }
    }

    public record WorkflowView(long id, @JsonProperty("pipeline_id") long pipelineId, int pid, String name, String state,
                               String error, long started, long finished, @JsonProperty("agent_id") long agentId,
                               String platform, Map<String, String> environ, List<StepView> children) {
    }

    public record PipelineView(long id, int number, int parent, String event, String status, List<Map<String, String>> errors,
                               long created, long updated, long started, long finished,
                               @JsonProperty("deploy_to") String deployTo, @JsonProperty("deploy_task") String deployTask,
                               String commit, String branch, String ref, String refspec, String title, String message,
                               long timestamp, String sender, String author,
                               @JsonProperty("author_avatar") String authorAvatar,
                               @JsonProperty("author_email") String authorEmail,
                               @JsonProperty("forge_url") String forgeUrl,
                               @JsonProperty("reviewed_by") String reviewedBy, long reviewed,
                               @JsonProperty("from_fork") boolean fromFork,
                               @JsonProperty("is_prerelease") boolean isPrerelease,
                               @JsonProperty("changed_files") List<String> changedFiles,
                               Map<String, String> variables, @JsonProperty("pr_labels") List<String> prLabels,
                               List<WorkflowView> workflows) {

        /**
         * {@code steps} null: a list entry, without workflows (as Woodpecker lists them). Message,
         * author, email and timestamp are the built commit's when the pipeline knows them (a push);
         * otherwise the message is the pull request's title, the author the user who started it and
         * the timestamp the creation time.
         */
        public static PipelineView of(Repo repo, PipelineRow p, List<StepRow> steps, String publicUrl,
                                      AuthorAvatars avatars) {
            String user = p.triggerUsername() == null ? "" : p.triggerUsername();
            List<Map<String, String>> errors = p.error() == null ? List.of()
                    : List.of(Map.of("type", "compiler", "message", p.error()));
            List<WorkflowView> workflows = steps == null ? List.of() : List.of(new WorkflowView(p.id(), p.id(), 1,
                    workflowName(p.configFile()), WoodpeckerViews.status(p.status()), p.error() == null ? "" : p.error(), unix(p.startedAt()),
                    unix(p.finishedAt()), p.agentId() == null ? 0 : p.agentId(), p.platform() == null ? "" : p.platform(),
                    p.labels(), steps.stream().map(s -> StepView.of(p, s)).toList()));
            Instant updated = p.finishedAt() != null ? p.finishedAt() : p.startedAt() != null ? p.startedAt() : p.createdAt();
            String deployTo = p.variables().getOrDefault("CI_PIPELINE_DEPLOY_TARGET", "");
            // Woodpecker's pull request pipeline: branch = the target branch, refspec = source:target,
            // ref = refs/pull/N/head, title = the pull request's, forge_url = the pull request.
            boolean pr = p.isPullRequest();
            String branch = pr && p.targetBranch() != null ? p.targetBranch() : p.branch();
            String refspec = pr ? p.branch() + ":" + branch : "";
            String title = p.title() == null ? "" : p.title();
            String forgeUrl = pr ? publicUrl + "/" + repo.org() + "/" + repo.name() + "/pulls/" + p.pullRequest()
                    : publicUrl + "/" + repo.org() + "/" + repo.name() + "/commit/" + p.commitNode();
            CommitFacts facts = p.commitFacts();
            String message = facts.message() != null ? facts.message() : title;
            String author = facts.authorName() != null ? facts.authorName() : user;
            String email = facts.authorEmail() != null ? facts.authorEmail() : "";
            long timestamp = facts.timestamp() != null ? unix(facts.timestamp()) : unix(p.createdAt());
            return new PipelineView(p.id(), p.number(), p.parent(), p.event(), WoodpeckerViews.status(p.status()), errors, unix(p.createdAt()),
                    unix(updated), unix(p.startedAt()), unix(p.finishedAt()), deployTo, "", p.commitNode(), branch, p.ref(),
                    refspec, title, message, timestamp, user, author, avatars.url(email), email,
                    forgeUrl,
                    p.reviewedBy() == null ? "" : p.reviewedBy(), unix(p.reviewedAt()), p.fork(), false, List.of(),
                    p.variables(), List.of(), workflows);
        }

        static String workflowName(String configFile) {
            if (configFile == null || configFile.isBlank()) {
                return "pipeline";
            }
            String f = configFile.endsWith("/") ? configFile.substring(0, configFile.length() - 1) : configFile;
            String base = f.substring(f.lastIndexOf('/') + 1);
            return base.replaceFirst("^\\.", "").replaceFirst("\\.ya?ml$", "");
        }
    }

    public record LogEntryView(long id, @JsonProperty("step_id") long stepId, long time, int line, String data, int type) {
    }

    public record SecretView(long id, @JsonProperty("org_id") long orgId, @JsonProperty("repo_id") long repoId, String name,
                             String value, List<String> images, List<String> events) {

        public static SecretView of(SecretDetails s) {
            return new SecretView(s.id(), s.scope().equals("org") ? s.ownerId() : 0, s.scope().equals("repo") ? s.ownerId() : 0,
                    s.name(), "", s.images(), s.events());
        }
    }

    public record RegistryView(long id, @JsonProperty("org_id") long orgId, @JsonProperty("repo_id") long repoId,
                               String address, String username, String password, boolean readonly) {

        public static RegistryView of(Registry r) {
            return new RegistryView(r.id(), r.scope().equals("org") ? r.ownerId() : 0, r.scope().equals("repo") ? r.ownerId() : 0,
                    r.address(), r.username(), "", false);
        }
    }

    public record CronView(long id, String name, @JsonProperty("repo_id") long repoId,
                           @JsonProperty("creator_id") long creatorId, @JsonProperty("next_exec") long nextExec,
                           String schedule, long created, String branch) {

        public static CronView of(Cron c) {
            return new CronView(c.id(), c.name(), c.repoId(), c.createdBy() == null ? 0 : c.createdBy(), unix(c.nextRunAt()),
                    c.schedule(), unix(c.createdAt()), c.branch() == null ? "" : c.branch());
        }
    }

    public record AgentView(long id, long created, long updated, String name, @JsonProperty("owner_id") long ownerId,
                            @JsonProperty("org_id") long orgId, String token, @JsonProperty("last_contact") long lastContact,
                            @JsonProperty("last_work") long lastWork, String platform, String backend, int capacity,
                            String version, @JsonProperty("no_schedule") boolean noSchedule,
                            @JsonProperty("custom_labels") Map<String, String> customLabels) {

        /** Woodpecker marks agents of the whole server with org_id -1. */
        public static AgentView of(AgentDetails a) {
            return new AgentView(a.id(), unix(a.createdAt()), unix(a.updatedAt()), a.name(),
                    a.createdBy() == null ? 0 : a.createdBy(), a.orgId() == null ? -1 : a.orgId(),
                    a.token() == null ? "" : a.token(), unix(a.lastSeenAt()), unix(a.lastWorkAt()),
                    a.platform() == null ? "" : a.platform(), a.backend() == null ? "" : a.backend(), a.capacity(),
                    a.version() == null ? "" : a.version(), a.noSchedule(), a.labels());
        }
    }

    public record TaskView(String id, Map<String, String> labels, List<String> dependencies,
                           @JsonProperty("dep_status") Map<String, String> depStatus,
                           @JsonProperty("run_on") List<String> runOn, @JsonProperty("agent_id") long agentId,
                           @JsonProperty("repo_id") long repoId, @JsonProperty("pipeline_number") int pipelineNumber) {
    }

    public record ForgeView(long id, String type, String url, String client, @JsonProperty("oauth_host") String oauthHost,
                            @JsonProperty("skip_verify") boolean skipVerify,
                            @JsonProperty("additional_options") Map<String, Object> additionalOptions) {
    }
}
