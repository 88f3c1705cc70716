package dev.shoal.pipeline.config;

import java.util.List;
import java.util.Map;

/**
 * A step as written in the pipeline file.
 *
 * @param environment plain variables
 * @param secrets     environment variable name → secret name ({@code secrets:} lists and
 *                    {@code from_secret} values)
 * @param line        where the step starts in its file, for error messages
 */
public record StepSpec(String name, String image, List<String> commands, Map<String, String> environment,
                       Map<String, String> secrets, When when, List<String> dependsOn, String file, int line) {
}
