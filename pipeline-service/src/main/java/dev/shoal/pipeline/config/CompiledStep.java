package dev.shoal.pipeline.config;

import java.util.List;
import java.util.Map;

/**
 * A step that will run for one trigger.
 *
 * @param runOn pipeline states ({@code success}, {@code failure}) under which the agent runs it
 */
public record CompiledStep(int number, String name, String image, List<String> commands,
                           Map<String, String> environment, Map<String, String> secrets,
                           List<String> dependsOn, List<String> runOn) {
}
