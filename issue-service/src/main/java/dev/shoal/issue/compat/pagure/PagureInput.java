package dev.shoal.issue.compat.pagure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.platform.compat.pagure.PagureException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Pagure request body: form-encoded as Pagure documents it, or a JSON object as some clients
 * send. Read here, not by the framework, so every unreadable body answers in Pagure's error shape.
 */
public final class PagureInput {

    private final Map<String, List<String>> fields;

    private PagureInput(Map<String, List<String>> fields) {
        this.fields = fields;
    }

    public static PagureInput empty() {
        return new PagureInput(Map.of());
    }

    public static PagureInput parse(String contentType, String raw, ObjectMapper mapper) {
        String body = raw == null ? "" : raw;
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (body.isBlank()) {
            return empty();
        }
        if (type.startsWith("application/json")) {
            return json(body, mapper);
        }
        if (type.isEmpty() || type.startsWith("application/x-www-form-urlencoded")) {
            return form(body);
        }
        throw new PagureException(415, "EINVALIDREQ", "send the fields form-encoded (application/x-www-form-urlencoded) or as a JSON object");
    }

    static PagureInput form(String body) {
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
                throw PagureException.invalid("the form body is not valid application/x-www-form-urlencoded: " + e.getMessage());
            }
        }
        return new PagureInput(fields);
    }

    static PagureInput json(String body, ObjectMapper mapper) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (Exception e) {
            throw PagureException.invalid("the body is not valid JSON: send a JSON object or a form");
        }
        if (root == null || !root.isObject()) {
            throw PagureException.invalid("the JSON body must be an object of fields");
        }
        Map<String, List<String>> fields = new LinkedHashMap<>();
        root.fields().forEachRemaining(entry -> {
            List<String> values = new ArrayList<>();
            JsonNode node = entry.getValue();
            if (node.isArray()) {
                node.forEach(item -> values.add(text(entry.getKey(), item)));
            } else if (!node.isNull()) {
                values.add(text(entry.getKey(), node));
            } else {
                values.add(null);
            }
            fields.put(entry.getKey(), values);
        });
        return new PagureInput(fields);
    }

    private static String text(String key, JsonNode node) {
        if (node.isObject() || node.isArray()) {
            throw PagureException.invalid(key + ": must be a text, number or boolean, not " + (node.isObject() ? "an object" : "a list"));
        }
        return node.asText();
    }

    /** The field's single value; null when absent. */
    public String get(String key) {
        List<String> values = fields.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public List<String> all(String key) {
        return fields.getOrDefault(key, List.of());
    }

    public boolean has(String key) {
        return fields.containsKey(key);
    }

    /** Every field with its first value, in order. */
    public Map<String, String> asMap() {
        Map<String, String> result = new LinkedHashMap<>();
        fields.forEach((k, v) -> result.put(k, v.isEmpty() ? null : v.get(0)));
        return result;
    }

    /** Pagure's booleans: true/false, 1/0, yes/no, on/off (any case). */
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
