package dev.shoal.platform.error;

/**
 * A failure with a stable machine-readable code and a message a person can act on. One mapper in
 * this library turns it into the envelope {@code {"error": {"code", "message"}}}.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;

    public ApiException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
