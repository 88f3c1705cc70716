package dev.shoal.platform.compat.pagure;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Pagure API v0's error dialect. Under {@code /api/0/} every refusal, whether the gateway's or a
 * service's, is written as {@code {"error": message, "error_code": code}} because Pagure clients
 * branch on {@code error_code}.
 */
public final class PagureErrors {

    /** Every code a Pagure-dialect answer of Shoal can carry, for {@code /api/0/-/error_codes}. */
    public static final Map<String, String> ALL;

    static {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put("ENOCODE", "Variable message describing the issue");
        codes.put("ENOPROJECT", "Project not found");
        codes.put("ENOPROJECTS", "No projects found");
        codes.put("ETRACKERDISABLED", "Issue tracker disabled for this project");
        codes.put("EDBERROR", "An error occurred at the database level and prevent the action from reaching completion");
        codes.put("EINVALIDREQ", "Invalid or incomplete input submitted");
        codes.put("EINVALIDTOK", "Invalid or expired token. Please visit your settings to get or renew your API token.");
        codes.put("ENOISSUE", "Issue not found");
        codes.put("EISSUENOTALLOWED", "You are not allowed to view this issue");
        codes.put("EPULLREQUESTSDISABLED", "Pull-Request have been deactivated for this project");
        codes.put("ENOREQ", "Pull-Request not found");
        codes.put("ENOPRCLOSE", "You are not allowed to merge/close pull-request for this project");
        codes.put("EPRSCORE", "This request does not have the minimum review score necessary to be merged");
        codes.put("ENOASSIGNEE", "Only the assignee can merge this review");
        codes.put("ENOTHIGHENOUGH", "You do not have sufficient permissions to perform this action");
        codes.put("ENOCOMMENT", "Comment not found");
        codes.put("ENOCOMMIT", "No such commit found in this repository");
        codes.put("ENOUSER", "No such user found");
        codes.put("ENOGROUP", "Group not found");
        codes.put("EMODIFYPROJECTNOTALLOWED", "You are not allowed to modify this project");
        codes.put("ENOTMAINADMIN", "Only the main admin can set the main admin of a project");
        codes.put("ENOSIGNEDOFF", "This repo enforces that all commits are signed off by their author.");
        codes.put("ETIMESTAMP", "Invalid timestamp format");
        codes.put("EPRCONFLICTS", "This pull-request conflicts and thus cannot be merged");
        ALL = Collections.unmodifiableMap(codes);
    }

    private PagureErrors() {
    }

    public static boolean isPagurePath(String path) {
        return path != null && path.startsWith("/api/0/");
    }

    /** The Pagure code for a refusal given as Shoal's code (a Pagure code passes through unchanged). */
    public static String codeFor(String code, String message) {
        if (ALL.containsKey(code)) {
            return code;
        }
        return switch (code) {
            case "unauthorized" -> "EINVALIDTOK";
            case "insufficient_scope", "forbidden" -> "ENOTHIGHENOUGH";
            case "validation_failed", "bad_request", "length_required", "payload_too_large", "unsupported_media_type" ->
                    "EINVALIDREQ";
            case "not_found" -> namesProject(message) ? "ENOPROJECT" : "ENOCODE";
            default -> "ENOCODE";
        };
    }

    private static boolean namesProject(String message) {
        if (message == null) {
            return false;
        }
        String lower = message.toLowerCase(java.util.Locale.ROOT);
        return lower.startsWith("repository") || lower.startsWith("organization") || lower.startsWith("project");
    }

    /** The message Pagure clients expect for a code whose text they may compare. */
    public static String messageFor(String pagureCode, String message) {
        return pagureCode.equals("ENOPROJECT") ? ALL.get("ENOPROJECT") : message;
    }

    public static Map<String, Object> body(String pagureCode, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("error_code", pagureCode);
        return body;
    }
}
