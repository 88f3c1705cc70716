package dev.shoal.repo.compat.pagure.rest;

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
 * A Pagure request body: form-encoded, as Pagure documents, or a JSON object, which Pagure also
 * takes. Read here rather than by the framework so that an unreadable body is refused in Pagure's
 * shape with a message naming what to send.
 */
final class PagureInput {

    /** Fields Pagure repeats in forms (tags=a&tags=b), which JSON may give as lists. */
    private static final java.util.Set<String> MULTI = java.util.Set.of("tags", "username");

    private final Map<String, List<String>> fields;

    private PagureInput(Map<String, List<String>> fields) {
        this.fields = fields;
    }

    static PagureInput parse(String contentType, String raw, ObjectMapper mapper) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        if (raw == null || raw.isBlank()) {
            return new PagureInput(fields);
        }
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json")) {
            JsonNode node;
            try {
                node = mapper.readTree(raw);
            } catch (Exception e) {
                throw PagureException.invalid("the body is not valid JSON: send a form (application/x-www-form-urlencoded) or a JSON object");
            }
            if (node == null || !node.isObject()) {
                throw PagureException.invalid("the body must be a JSON object of fields, or a form");
            }
            node.fields().forEachRemaining(e -> {
                List<String> values = new ArrayList<>();
                if ((e.getValue().isArray() && !MULTI.contains(e.getKey())) || e.getValue().isObject()) {
                    throw PagureException.invalid(e.getKey() + ": must be a single value; send a form or a JSON object of strings");
                }
                if (e.getValue().isArray()) {
                    e.getValue().forEach(v -> values.add(v.asText()));
                } else if (!e.getValue().isNull()) {
                    values.add(e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
                }
                fields.put(e.getKey(), values);
            });
            return new PagureInput(fields);
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                fields.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            } catch (IllegalArgumentException e) {
                throw PagureException.invalid("the form is not valid application/x-www-form-urlencoded (bad % escape in '" + pair + "')");
            }
        }
        return new PagureInput(fields);
    }

    /** The field's value; null when absent. */
    String get(String key) {
        List<String> values = fields.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The field's non-blank value, or a 400 naming it. */
    String required(String key) {
        String value = get(key);
        if (value == null || value.isBlank()) {
            throw PagureException.invalid(key + ": this field is required");
        }
        return value;
    }

    List<String> all(String key) {
        return fields.getOrDefault(key, List.of());
    }

    boolean has(String key) {
        return fields.containsKey(key);
    }

    Map<String, List<String>> fields() {
        return fields;
    }
}
