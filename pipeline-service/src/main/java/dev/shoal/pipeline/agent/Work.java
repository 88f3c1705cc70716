package dev.shoal.pipeline.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.pipeline.registry.RegistryCredential;
import java.util.List;
import java.util.Map;

/**
 * The answer to a successful poll, in the shape of the Isurus CI agent API. Steps also carry
 * {@code depends_on} and {@code run_on} (the pipeline states under which the step runs), and the
 * work carries {@code clone_token}: the password (any username) with which the agent fetches the
 * repository through the gateway, private or not, for this pipeline only. {@code pull_request} is
 * there for pull request pipelines only; {@code registries} holds the credentials of the registries
 * the steps' images come from (empty when none is stored), for the agent's image pulls only.
 */
public record Work(@JsonProperty("pipeline_id") long pipelineId, int number,
                   @JsonProperty("commit_node") String commitNode, String branch, String event,
                   @JsonProperty("clone_url") String cloneUrl, @JsonProperty("clone_token") String cloneToken, String org, String repo, List<Step> steps,
                   @JsonProperty("ci_env") Map<String, String> ciEnv,
                   @JsonProperty("pull_request") @JsonInclude(JsonInclude.Include.NON_NULL) PullRequest pullRequest,
                   @JsonInclude(JsonInclude.Include.NON_EMPTY) List<RegistryCredential> registries) {

    public record Step(long id, int number, String name, String image, List<String> commands,
                       Map<String, String> environment, String status,
                       @JsonProperty("depends_on") List<String> dependsOn,
                       @JsonProperty("run_on") List<String> runOn) {
    }

    /** The pull request a pipeline builds: its number, branches, title, and whether it comes from a fork. */
    public record PullRequest(int number, @JsonProperty("source_branch") String sourceBranch,
                              @JsonProperty("target_branch") String targetBranch, String title,
                              @JsonProperty("from_fork") boolean fromFork) {
    }

    @Override
    public String toString() {
        // Never print credentials: the clone token, step secrets and registry passwords stay out of logs.
        return "Work[pipeline_id=" + pipelineId + ", number=" + number + ", repo=" + org + "/" + repo + ", event=" + event
                + ", steps=" + steps.size() + ", registries=" + registries.stream().map(RegistryCredential::address).toList() + "]";
    }
}
