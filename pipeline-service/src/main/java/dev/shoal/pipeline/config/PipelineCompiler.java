package dev.shoal.pipeline.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Chooses the steps that run for a trigger (event and branch) and numbers them. */
public final class PipelineCompiler {

    private PipelineCompiler() {
    }

    /** The steps to run; empty when the pipeline-level filter or every step's filter excludes the trigger. */
    public static List<CompiledStep> compile(PipelineDefinition definition, String event, String branch) {
        if (!definition.when().matchesTrigger(event, branch)) {
            return List.of();
        }
        List<StepSpec> kept = definition.steps().stream()
                .filter(step -> step.when().matchesTrigger(event, branch))
                .toList();
        Set<String> keptNames = kept.stream().map(StepSpec::name).collect(Collectors.toSet());
        List<CompiledStep> steps = new ArrayList<>();
        int number = 1;
        for (StepSpec step : kept) {
            // A dependency filtered out for this trigger is satisfied, as in Woodpecker.
            List<String> dependsOn = step.dependsOn().stream().filter(keptNames::contains).toList();
            steps.add(new CompiledStep(number++, step.name(), step.image(), step.commands(), step.environment(),
                    step.secrets(), dependsOn, step.when().runOn(event, branch)));
        }
        return steps;
    }
}
