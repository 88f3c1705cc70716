package dev.shoal.pipeline.config;

import java.util.ArrayList;
import java.util.List;

/** A {@code when} filter: a list of clauses of which one must match (a single map is one clause). */
public record When(List<WhenClause> anyOf) {

    public static final When ALWAYS = new When(List.of());

    public When {
        anyOf = List.copyOf(anyOf);
    }

    public boolean matchesTrigger(String event, String branch) {
        return anyOf.isEmpty() || anyOf.stream().anyMatch(c -> c.matchesTrigger(event, branch));
    }

    /**
     * The pipeline states ({@code success}: nothing failed so far, {@code failure}) under which a
     * step runs; by default only on success, as in Drone and Woodpecker.
     */
    public List<String> runOn(String event, String branch) {
        List<String> states = new ArrayList<>();
        for (String state : List.of("success", "failure")) {
            boolean any = anyOf.isEmpty() ? state.equals("success") : anyOf.stream()
                    .filter(c -> c.matchesTrigger(event, branch))
                    .anyMatch(c -> c.status().isEmpty() ? state.equals("success") : c.status().matches(state));
            if (any) {
                states.add(state);
            }
        }
        return states;
    }
}
