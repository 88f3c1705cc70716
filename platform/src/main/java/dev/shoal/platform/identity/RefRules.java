package dev.shoal.platform.identity;

import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Per-ref write policies of a Code Storage JWT (its {@code refs} claim, the SDK's
 * {@code encodeRefsClaim}: {@code [[pattern, [ops…]], …]}). Rules are ordered and the first whose
 * pattern matches a ref decides; a rule without ops explicitly allows. Patterns are an exact ref
 * name or a prefix glob (a single trailing {@code *} after a {@code /}, or {@code *} alone);
 * a pattern not starting with {@code refs/} (other than {@code *} and {@code HEAD}) names a
 * branch and is normalized to {@code refs/heads/<pattern>}. The gateway parses and normalizes the
 * claim (a malformed one is refused there), carries it in the internal JWT, and repo-service checks
 * it wherever a ref moves. Refs are matched by their stored name, so an ephemeral branch is
 * {@code refs/namespaces/ephemeral/refs/heads/<name>}.
 */
public record RefRules(List<Rule> rules) {

    public static final String NO_PUSH = "no-push";
    public static final String NO_FORCE_PUSH = "no-force-push";
    public static final String VERIFY_SIG = "verify-sig";
    private static final Set<String> OPS = Set.of(NO_PUSH, NO_FORCE_PUSH, VERIFY_SIG);
    private static final int MAX_RULES = 256;
    private static final int MAX_PATTERN = 1024;

    public RefRules {
        rules = List.copyOf(rules);
    }

    /** One rule: a normalized pattern and its ops (empty: an explicit allow). */
    public record Rule(String pattern, List<String> ops) {

        public Rule {
            ops = List.copyOf(ops);
        }

        public boolean matches(String ref) {
            if (pattern.equals("*")) {
                return true;
            }
            if (pattern.endsWith("/*")) {
                return ref.startsWith(pattern.substring(0, pattern.length() - 1));
            }
            return pattern.equals(ref);
        }

        @Override
        public String toString() {
            return "['" + pattern + "', " + ops + "]";
        }
    }

    /** The kind of ref update being checked. */
    public enum Update {
        CREATE, FAST_FORWARD, NON_FAST_FORWARD, DELETE
    }

    /** A malformed claim; the message names what is wrong. */
    public static final class MalformedException extends IllegalArgumentException {
        public MalformedException(String message) {
            super(message);
        }
    }

    /**
     * Parses a {@code refs} claim and the legacy repository-wide {@code ops} claim (folded into a
     * trailing {@code *} rule unless the rules already end in a catch-all), as JSON-P values or as
     * plain Java lists and strings. Null when the token carries neither (or only empty ones).
     *
     * @throws MalformedException naming the offending entry
     */
    public static RefRules parse(Object refsClaim, Object legacyOps) {
        List<Rule> rules = new ArrayList<>();
        if (refsClaim != null && refsClaim != JsonValue.NULL) {
            if (!(refsClaim instanceof List<?> entries)) {
                throw new MalformedException("the 'refs' claim must be an array of [pattern, [ops…]] pairs");
            }
            if (entries.size() > MAX_RULES) {
                throw new MalformedException("the 'refs' claim has more than " + MAX_RULES + " rules");
            }
            for (int i = 0; i < entries.size(); i++) {
                if (!(entries.get(i) instanceof List<?> pair) || pair.size() != 2) {
                    throw new MalformedException("refs[" + i + "] must be a [pattern, [ops…]] pair");
                }
                String pattern = string(pair.get(0));
                if (pattern == null) {
                    throw new MalformedException("refs[" + i + "][0] (the pattern) must be a string");
                }
                rules.add(new Rule(normalize(pattern, "refs[" + i + "]"), ops(pair.get(1), "refs[" + i + "][1]")));
            }
        }
        if (legacyOps != null && legacyOps != JsonValue.NULL) {
            List<String> ops = ops(legacyOps, "the 'ops' claim");
            boolean catchAll = rules.stream().anyMatch(r -> r.pattern().equals("*"));
            if (!ops.isEmpty() && !catchAll) {
                rules.add(new Rule("*", ops));
            }
        }
        return rules.isEmpty() ? null : new RefRules(rules);
    }

    /** The rule deciding {@code ref}, or null when none matches (the update is allowed). */
    public Rule match(String ref) {
        for (Rule rule : rules) {
            if (rule.matches(ref)) {
                return rule;
            }
        }
        return null;
    }

    /**
     * Why the token may not make this update of {@code ref}, or null when it may. verify-sig fails
     * closed: Shoal has no registry of signing keys to verify commits against.
     */
    public String refusal(String ref, Update update) {
        Rule rule = match(ref);
        if (rule == null) {
            return null;
        }
        String by = "the token's ref policy " + rule;
        if (rule.ops().contains(NO_PUSH)) {
            return ref + " may not be updated: " + by + " forbids pushes (no-push)";
        }
        if (rule.ops().contains(VERIFY_SIG)) {
            return ref + " may not be updated: " + by + " requires verified commit signatures (verify-sig), and this "
                    + "server has no signing-key registry to verify them against, so it refuses (fail closed)";
        }
        if (rule.ops().contains(NO_FORCE_PUSH) && (update == Update.NON_FAST_FORWARD || update == Update.DELETE)) {
            return ref + " may not be " + (update == Update.DELETE ? "deleted" : "rewritten (not a fast-forward)") + ": " + by
                    + " forbids force pushes (no-force-push)";
        }
        return null;
    }

    /** The claim as carried in the internal JWT: normalized {@code [[pattern, [ops…]], …]}. */
    public List<List<Object>> toClaim() {
        return rules.stream().map(r -> List.<Object>of(r.pattern(), r.ops())).toList();
    }

    private static String normalize(String pattern, String where) {
        if (pattern.isEmpty() || pattern.length() > MAX_PATTERN) {
            throw new MalformedException(where + ": the pattern must be 1-" + MAX_PATTERN + " characters");
        }
        if (pattern.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
            throw new MalformedException(where + ": the pattern '" + pattern + "' contains a space or control character");
        }
        String full = pattern.equals("*") || pattern.equals("HEAD") || pattern.startsWith("refs/") ? pattern : "refs/heads/" + pattern;
        int star = full.indexOf('*');
        if (star >= 0 && !(full.equals("*") || (star == full.length() - 1 && full.endsWith("/*")))) {
            throw new MalformedException(where + ": the pattern '" + pattern + "' is not an exact ref or a prefix glob "
                    + "(a single trailing '*' after '/', e.g. 'feature/*', or '*' alone)");
        }
        return full;
    }

    private static List<String> ops(Object raw, String where) {
        if (!(raw instanceof List<?> list)) {
            throw new MalformedException(where + " must be an array of ops (no-push, no-force-push, verify-sig)");
        }
        List<String> ops = new ArrayList<>();
        for (Object o : list) {
            String op = string(o);
            if (op == null || !OPS.contains(op)) {
                throw new MalformedException(where + ": unknown op " + (op == null ? String.valueOf(o) : "'" + op + "'")
                        + "; known ops are no-push, no-force-push and verify-sig");
            }
            if (!ops.contains(op)) {
                ops.add(op);
            }
        }
        return ops;
    }

    private static String string(Object o) {
        if (o instanceof JsonString s) {
            return s.getString();
        }
        return o instanceof String s ? s : null;
    }
}
