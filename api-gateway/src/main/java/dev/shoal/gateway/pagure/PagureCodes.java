package dev.shoal.gateway.pagure;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Pagure API v0 error codes served by Shoal, and how the gateway's own refusals translate into them.
 * Pagure clients branch on {@code error_code}, so a refusal under {@code /api/0/} must carry one of these.
 */
public final class PagureCodes {

    /** Every code a Pagure-dialect answer of Shoal can carry (the gateway's and the services'), for {@code /api/0/-/error_codes}. */
    public static final Map<String, String> ALL;

    static {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put("ENOCODE", "Variable message describing the issue");
        codes.put("ENOPROJECT", "Project not found");
        codes.put("EINVALIDREQ", "Invalid or incomplete input submitted");
        codes.put("EINVALIDTOK", "Invalid or expired token. Please visit your settings to get or renew your API token.");
        codes.put("ENOTHIGHENOUGH", "You do not have sufficient permissions to perform this action");
        ALL = java.util.Collections.unmodifiableMap(codes);
    }

    private PagureCodes() {
    }

    /** The Pagure code for a gateway refusal given as Shoal's code and message. */
    public static String forGatewayError(int status, String code, String message) {
        return switch (code) {
            case "unauthorized" -> "EINVALIDTOK";
            case "insufficient_scope", "forbidden" -> "ENOTHIGHENOUGH";
            case "validation_failed", "bad_request", "length_required", "payload_too_large" -> "EINVALIDREQ";
            case "not_found" -> message != null && (message.startsWith("repository") || message.startsWith("organization"))
                    ? "ENOPROJECT" : "ENOCODE";
            default -> "ENOCODE";
        };
    }

    public static boolean isPagurePath(String path) {
        return path != null && path.startsWith("/api/0/");
    }
}
