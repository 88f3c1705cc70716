package dev.shoal.gateway.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Assembles the one public OpenAPI document from the services' own: their public paths (never
 * {@code /internal} or {@code /q}), and their schemas, a schema name two services both use but
 * define differently being renamed {@code <service>_<Name>} in the later one, its references with it.
 */
public final class OpenApiMerger {

    private static final String SCHEMA_REF = "#/components/schemas/";

    private final ObjectMapper mapper;
    private final ObjectNode merged;
    private final ObjectNode paths;
    private final ObjectNode schemas;

    public OpenApiMerger(ObjectMapper mapper, String version, String serverUrl) {
        this.mapper = mapper;
        merged = mapper.createObjectNode();
        merged.put("openapi", "3.1.0");
        ObjectNode info = merged.putObject("info");
        info.put("title", "Shoal API");
        info.put("version", version);
        info.put("description", "Every public route of Shoal, as the gateway serves it: the Isurus API (/api/v1), "
                + "the Pagure API (/api/0), Drone's and Woodpecker's (/api), Code Storage (/storage) and git over HTTP.");
        merged.putArray("servers").addObject().put("url", serverUrl);
        paths = merged.putObject("paths");
        ObjectNode components = merged.putObject("components");
        schemas = components.putObject("schemas");
        ObjectNode bearer = components.putObject("securitySchemes").putObject("token");
        bearer.put("type", "http");
        bearer.put("scheme", "bearer");
    }

    /** Adds one service's document; its operations are tagged with the service's name. */
    public OpenApiMerger add(String service, JsonNode document) {
        Map<String, String> renames = new HashMap<>();
        JsonNode theirs = document.path("components").path("schemas");
        theirs.fieldNames().forEachRemaining(name -> {
            JsonNode existing = schemas.get(name);
            if (existing != null && !existing.equals(theirs.get(name))) {
                renames.put(name, service + "_" + name);
            }
        });
        theirs.fields().forEachRemaining(schema -> schemas.set(renames.getOrDefault(schema.getKey(), schema.getKey()),
                rewriteRefs(schema.getValue().deepCopy(), renames)));
        document.path("paths").fields().forEachRemaining(path -> {
            if (!isPublic(path.getKey())) {
                return;
            }
            ObjectNode target = paths.has(path.getKey()) ? (ObjectNode) paths.get(path.getKey()) : paths.putObject(path.getKey());
            path.getValue().fields().forEachRemaining(operation -> {
                JsonNode copy = rewriteRefs(operation.getValue().deepCopy(), renames);
                if (copy instanceof ObjectNode op && isOperation(operation.getKey())) {
                    op.putArray("tags").add(service);
                }
                target.set(operation.getKey(), copy);
            });
        });
        return this;
    }

    public ObjectNode document() {
        return merged;
    }

    static boolean isPublic(String path) {
        return !path.startsWith("/internal") && !path.startsWith("/q/") && !path.equals("/q");
    }

    private static boolean isOperation(String key) {
        return switch (key) {
            case "get", "put", "post", "delete", "patch", "head", "options", "trace" -> true;
            default -> false;
        };
    }

    private JsonNode rewriteRefs(JsonNode node, Map<String, String> renames) {
        if (renames.isEmpty()) {
            return node;
        }
        if (node instanceof ObjectNode object) {
            JsonNode ref = object.get("$ref");
            if (ref != null && ref.isTextual() && ref.asText().startsWith(SCHEMA_REF)) {
                String name = ref.asText().substring(SCHEMA_REF.length());
                if (renames.containsKey(name)) {
                    object.set("$ref", TextNode.valueOf(SCHEMA_REF + renames.get(name)));
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                rewriteRefs(it.next().getValue(), renames);
            }
        } else if (node.isArray()) {
            node.forEach(child -> rewriteRefs(child, renames));
        }
        return node;
    }
}
