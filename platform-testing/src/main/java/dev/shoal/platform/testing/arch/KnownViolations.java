package dev.shoal.platform.testing.arch;

import java.util.Map;
import java.util.Set;

/**
 * The exact violations of {@link ArchitectureRules} the code had when the rules came (issue #22),
 * frozen so that the rules stop every new one. Each entry is one origin class and the classes it may
 * still use; an entry goes with the change that fixes it, and the list only shrinks (the compat
 * layers are being reshaped into {@code rest → service → repository} under {@code compat/}).
 */
final class KnownViolations {

    /** Resource → Pool or repository: none left. */
    private static final Map<String, Set<String>> RESOURCE_TO_DATABASE = Map.of();

    /** Native class → compat class: none left. */
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
