package dev.shoal.platform.error;

/**
 * A failure with a stable machine-readable code and a message a person can act on. One mapper in
 * this library turns it into the envelope {@code {"error": {"code", "message"}}}.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final Object details;

    public ApiException(int status, String code, String message) {
        this(status, code, message, null);
    }

    /** {@code details} is written beside code and message, e.g. the paths of a merge conflict. */
    public ApiException(int status, String code, String message, Object details) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.details = details;
    }

    public Object details() {
        return details;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
