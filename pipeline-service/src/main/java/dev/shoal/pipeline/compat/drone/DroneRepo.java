package dev.shoal.pipeline.compat.drone;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.pipeline.repo.Repo;
import dev.shoal.pipeline.settings.CiSettings;

/**
 * A repository as Drone shows it: the 1.x fields ({@code namespace}, {@code slug}, {@code active},
 * {@code config_path}, {@code visibility}, …) and the fields of the older API reference
 * ({@code owner}, {@code full_name}, {@code allow_pr}, …), so clients of either read what they expect.
 */
public record DroneRepo(long id, String uid, @JsonProperty("user_id") long userId, String namespace, String name,
                        String slug, String owner, @JsonProperty("full_name") String fullName, String scm,
                        @JsonProperty("git_http_url") String gitHttpUrl, @JsonProperty("git_ssh_url") String gitSshUrl,
                        @JsonProperty("clone_url") String cloneUrl, String link, @JsonProperty("link_url") String linkUrl,
                        @JsonProperty("avatar_url") String avatarUrl,
                        @JsonProperty("default_branch") String defaultBranch, @JsonProperty("private") boolean isPrivate,
                        String visibility, boolean active, @JsonProperty("config_path") String configPath,
                        boolean trusted, @JsonProperty("protected") boolean isProtected,
                        @JsonProperty("ignore_forks") boolean ignoreForks,
                        @JsonProperty("ignore_pull_requests") boolean ignorePullRequests,
                        @JsonProperty("auto_cancel_pull_requests") boolean autoCancelPullRequests,
                        @JsonProperty("auto_cancel_pushes") boolean autoCancelPushes,
                        @JsonProperty("auto_cancel_running") boolean autoCancelRunning,
                        long timeout, long counter, boolean archived, long version,
                        @JsonProperty("allow_pr") boolean allowPr, @JsonProperty("allow_push") boolean allowPush,
                        @JsonProperty("allow_deploys") boolean allowDeploys, @JsonProperty("allow_tags") boolean allowTags) {

    /** The pipeline file Drone reads when a repository names none. */
    public static final String DEFAULT_CONFIG = ".drone.yml";

    public static DroneRepo of(Repo repo, CiSettings settings, long counter, String publicUrl) {
        String link = publicUrl + "/" + repo.org() + "/" + repo.name();
        String visibility = settings.visibility() != null ? settings.visibility() : repo.isPrivate() ? "private" : "public";
        return new DroneRepo(repo.id(), String.valueOf(repo.id()), 0, repo.org(), repo.name(), repo.fullName(), repo.org(),
                repo.fullName(), "git", link + ".git", "", link + ".git", link, link, "", repo.defaultBranch(),
                repo.isPrivate(), visibility, settings.active(),
                settings.configFile() == null ? DEFAULT_CONFIG : settings.configFile(), settings.trusted().any(), false,
                false, !settings.allowPr(), settings.cancelPreviousPipelineEvents().contains("pull_request"),
                settings.cancelPreviousPipelineEvents().contains("push"), false, settings.timeoutMinutes(), counter, false, 1,
                settings.allowPr(), settings.allowPush(), settings.allowDeploy(), settings.allowTags());
    }
}
