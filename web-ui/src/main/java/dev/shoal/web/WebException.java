package dev.shoal.web;

/** A page that cannot be shown: rendered as a plain error page with this status and message. */
public class WebException extends RuntimeException {

    private final int status;

    public WebException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static WebException notFound() {
        return new WebException(404, "There is nothing here, or you may not see it.");
    }
}
