package dev.shoal.platform.testing.arch;

import java.util.Map;
import java.util.Set;

/**
 * The exact violations of {@link ArchitectureRules} the code has today, frozen so that the rules
 * stop every new one (issue #22). Each entry is one origin class and the one class it may still
 * use; the compat layers are being reshaped into {@code rest → service → repository}, and each entry
 * goes with the change that fixes it: the list only shrinks.
 */
final class KnownViolations {

    /** Resource → database or repository. */
    private static final Map<String, Set<String>> RESOURCE_TO_DATABASE = Map.of();

    /** Native class → compat class. */
    private static final Map<String, Set<String>> NATIVE_TO_COMPAT = Map.of();

    private KnownViolations() {
    }

    static boolean resourceTouchingTheDatabase(String origin, String target) {
        return RESOURCE_TO_DATABASE.getOrDefault(origin, Set.of()).contains(target);
    }

    static boolean nativeDependingOnCompat(String origin, String target) {
        return NATIVE_TO_COMPAT.getOrDefault(origin, Set.of()).contains(target);
    }
}
