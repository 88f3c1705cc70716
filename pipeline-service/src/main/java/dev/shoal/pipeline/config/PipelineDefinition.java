package dev.shoal.pipeline.config;

import java.util.List;
import java.util.Map;

/**
 * A parsed pipeline file (or the union of a {@code .woodpecker/} directory).
 *
 * @param when     the pipeline-level filter (Woodpecker {@code when}, Drone {@code trigger})
 * @param labels   labels an agent must carry to run it
 * @param platform the platform an agent must report ({@code linux/amd64}), null for any
 */
public record PipelineDefinition(String file, String dialect, List<StepSpec> steps, When when,
                                 Map<String, String> labels, String platform) {
}
