package dev.shoal.platform.compat.pagure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.platform.api.FormBody;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A Pagure request body, the one way every service reads it: form-encoded as Pagure documents it,
 * or a JSON object as some clients send (scalars; lists where a field repeats, as
 * {@code tags=a&tags=b} does in a form). Read here, not by the framework, so every unreadable body
 * answers in Pagure's error shape with what to send: a malformed body 400, another content type 415.
 * A JSON {@code null} counts as the field given without a value.
 */
public final class PagureInput {

    private final Map<String, List<String>> fields;

    private PagureInput(Map<String, List<String>> fields) {
        this.fields = fields;
    }

    public static PagureInput empty() {
        return new PagureInput(Map.of());
    }

    /** A body in which any field may be repeated (a JSON list). */
    public static PagureInput parse(String contentType, String raw, ObjectMapper mapper) {
        return parse(contentType, raw, mapper, null);
    }

    /** A body in which only the {@code repeatable} fields may be JSON lists; the others must be single values. */
    public static PagureInput parse(String contentType, String raw, ObjectMapper mapper, Set<String> repeatable) {
        if (raw == null || raw.isBlank()) {
            return empty();
        }
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (type.contains("json")) {
            return json(raw, mapper, repeatable);
        }
        if (type.isEmpty() || type.startsWith("application/x-www-form-urlencoded")) {
            return form(raw);
        }
        throw new PagureException(415, "EINVALIDREQ", "send the fields form-encoded (application/x-www-form-urlencoded) or as a JSON object");
    }

    private static PagureInput form(String body) {
        try {
            return new PagureInput(FormBody.decode(body));
        } catch (FormBody.MalformedPair e) {
            throw PagureException.invalid("the form body is not valid application/x-www-form-urlencoded (a bad % escape in '"
                    + e.shown() + "')");
        }
    }

    private static PagureInput json(String body, ObjectMapper mapper, Set<String> repeatable) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (Exception e) {
            throw PagureException.invalid("the body is not valid JSON: send a JSON object or a form (application/x-www-form-urlencoded)");
        }
        if (root == null || !root.isObject()) {
            throw PagureException.invalid("the JSON body must be an object of fields, or send a form");
        }
        Map<String, List<String>> fields = new LinkedHashMap<>();
        root.fields().forEachRemaining(entry -> {
            String key = entry.getKey();
            JsonNode node = entry.getValue();
            List<String> values = new ArrayList<>();
            if (node.isArray()) {
                if (repeatable != null && !repeatable.contains(key)) {
                    throw PagureException.invalid(key + ": must be a single value, not a list; send a form or a JSON object of single values");
                }
                node.forEach(item -> values.add(scalar(key, item)));
            } else if (!node.isNull()) {
                values.add(scalar(key, node));
            }
            fields.put(key, values);
        });
        return new PagureInput(fields);
    }

    private static String scalar(String key, JsonNode node) {
        if (node.isContainerNode()) {
            throw PagureException.invalid(key + ": must be a text, number or boolean, not " + (node.isObject() ? "an object" : "a list")
                    + "; send a form or a JSON object of single values");
        }
        return node.asText();
    }

    /** The field's first value; null when absent or given without one. */
    public String get(String key) {
        List<String> values = fields.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The field's non-blank value, or a 400 naming it. */
    public String required(String key) {
        String value = get(key);
        if (value == null || value.isBlank()) {
            throw PagureException.invalid(key + ": this field is required");
        }
        return value;
    }

    public List<String> all(String key) {
        return fields.getOrDefault(key, List.of());
    }

    public boolean has(String key) {
        return fields.containsKey(key);
    }

    /** Every field with all its values, in order. */
    public Map<String, List<String>> fields() {
        return fields;
    }

    /** Every field with its first value, in order. */
    public Map<String, String> asMap() {
        Map<String, String> result = new LinkedHashMap<>();
        fields.forEach((k, v) -> result.put(k, v.isEmpty() ? null : v.get(0)));
        return result;
    }

    /** Pagure's booleans: true/false, 1/0, yes/no, y/n, on/off (any case); absent is false. */
    public static boolean bool(String field, String raw) {
        if (raw == null) {
            return false;
        }
        return switch (raw.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "y", "on" -> true;
            case "false", "0", "no", "n", "off", "" -> false;
            default -> throw PagureException.invalid(field + ": must be a boolean (true or false), got '"
                    + (raw.length() > 20 ? raw.substring(0, 20) + "…" : raw) + "'");
        };
    }
}
