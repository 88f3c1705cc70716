package dev.shoal.platform.identity;

import java.util.Locale;
import java.util.Optional;

/** Token scopes. They nest: admin includes write, write includes read. */
public enum Scope {
    READ, WRITE, ADMIN;

    public boolean includes(Scope other) {
        return ordinal() >= other.ordinal();
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Scope> parse(String raw) {
        for (Scope scope : values()) {
            if (scope.wireName().equals(raw)) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }
}
