package dev.shoal.platform.compat.storage;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Code Storage's error dialect. The {@code @pierre/storage} SDK reads a refusal's reason from a
 * string {@code "error"} (its {@code {error: string}} schema) and otherwise throws a bare "failed
 * with status 409"; so under {@code /storage/api/} a refusal is {@code {"error": message, "code":
 * code[, "details"]}}: the SDK shows Shoal's message, and scripts still get the stable code.
 */
public final class StorageErrors {

    private StorageErrors() {
    }

    public static boolean isStoragePath(String path) {
        return path != null && path.startsWith("/storage/api/");
    }

    public static Map<String, Object> body(String code, String message, Object details) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("code", code);
        if (details != null) {
            body.put("details", details);
        }
        return body;
    }
}
