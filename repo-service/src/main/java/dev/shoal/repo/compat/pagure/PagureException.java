package dev.shoal.repo.compat.pagure;

import dev.shoal.platform.error.ApiException;

/**
 * A refusal in Pagure's dialect: answered as {@code {"error": message, "error_code": code}} by the
 * Pagure resources' own mapper, never by the platform's envelope.
 */
public class PagureException extends RuntimeException {

    private final int status;
    private final String code;

    public PagureException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public static PagureException invalid(String message) {
        return new PagureException(400, "EINVALIDREQ", message);
    }

    /** A platform refusal raised by the shared services, spoken in Pagure's codes. */
    public static PagureException from(ApiException e) {
        String code = switch (e.code()) {
            case "not_found" -> "ENOPROJECT";
            case "validation_failed", "bad_request" -> "EINVALIDREQ";
            case "forbidden", "insufficient_scope" -> "ENOTHIGHENOUGH";
            case "unauthorized" -> "EINVALIDTOK";
            default -> "ENOCODE";
        };
        String message = e.code().equals("not_found") ? "Project not found" : e.getMessage();
        if (e.details() != null && e.code().equals("validation_failed")) {
            message = message + " " + e.details();
        }
        return new PagureException(e.status(), code, message);
    }
}
