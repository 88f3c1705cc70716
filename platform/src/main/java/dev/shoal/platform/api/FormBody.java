package dev.shoal.platform.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@code application/x-www-form-urlencoded} body, decoded the one way every dialect reads one
 * (Pagure's fields, Drone's build parameters): each field with all its values, in the order given.
 * Each dialect answers a malformed body in its own error shape.
 */
public final class FormBody {

    /** A {@code key=value} pair that does not decode (a bad % escape). */
    public static final class MalformedPair extends IllegalArgumentException {

        private final String pair;

        MalformedPair(String pair, IllegalArgumentException cause) {
            super("not form-encoded: " + pair, cause);
            this.pair = pair;
        }

        /** The pair as sent, cut to 40 characters, to quote in an error. */
        public String shown() {
            return pair.length() > 40 ? pair.substring(0, 40) + "…" : pair;
        }
    }

    private FormBody() {
    }

    /** Every field of {@code body} with its values in order; a field without {@code =} has the value "". */
    public static Map<String, List<String>> decode(String body) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                fields.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            } catch (IllegalArgumentException e) {
                throw new MalformedPair(pair, e);
            }
        }
        return fields;
    }
}
