package dev.shoal.pipeline.agent;

import java.util.List;
import java.util.Map;

/**
 * A view of the queue: what waits and what runs, counted per label set and per agent.
 *
 * @param pending  pipelines waiting for an agent
 * @param blocked  pipelines waiting for approval (not in the queue until approved)
 * @param running  pipelines an agent holds
 * @param labels   counts per label set the pipelines ask for
 * @param agents   running pipelines per agent; an agent deleted meanwhile shows with a null name
 */
public record QueueInfo(boolean paused, List<Task> pending, List<Task> blocked, List<Task> running,
                        List<LabelCount> labels, List<AgentCount> agents, int workerCount) {

    /** A queued or running pipeline. */
    public record Task(long pipelineId, long repoId, int number, Map<String, String> labels, Long agentId,
                       String status) {
    }

    public record LabelCount(Map<String, String> labels, long pending, long waiting, long running) {
    }

    public record AgentCount(@com.fasterxml.jackson.annotation.JsonProperty("agent_id") long agentId, String name,
                             long running) {
    }
}
