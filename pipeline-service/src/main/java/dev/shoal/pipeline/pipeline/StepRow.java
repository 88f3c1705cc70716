package dev.shoal.pipeline.pipeline;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A step as stored.
 *
 * @param secrets environment variable name → secret name
 * @param runOn   pipeline states under which the agent runs it ({@code success}, {@code failure})
 */
public record StepRow(long id, long pipelineId, int number, String name, String image, List<String> commands,
                      Map<String, String> environment, Map<String, String> secrets, List<String> dependsOn,
                      List<String> runOn, String status, Integer exitCode, Instant startedAt, Instant finishedAt) {
}
