package dev.shoal.pipeline.agent;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The answer to a successful poll, in the shape of the Isurus CI agent API. Steps also carry
 * {@code depends_on} and {@code run_on} (the pipeline states under which the step runs), and the
 * work carries {@code clone_token}: the password (any username) with which the agent fetches the
 * repository through the gateway, private or not, for this pipeline only.
 */
public record Work(@JsonProperty("pipeline_id") long pipelineId, int number,
                   @JsonProperty("commit_node") String commitNode, String branch, String event,
                   @JsonProperty("clone_url") String cloneUrl, @JsonProperty("clone_token") String cloneToken, String org, String repo, List<Step> steps,
                   @JsonProperty("ci_env") Map<String, String> ciEnv) {

    public record Step(long id, int number, String name, String image, List<String> commands,
                       Map<String, String> environment, String status,
                       @JsonProperty("depends_on") List<String> dependsOn,
                       @JsonProperty("run_on") List<String> runOn) {
    }
}
