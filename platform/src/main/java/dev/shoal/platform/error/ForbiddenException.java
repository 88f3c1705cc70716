package dev.shoal.platform.error;

public class ForbiddenException extends ApiException {

    public ForbiddenException(String message) {
        super(403, "forbidden", message);
    }
}
