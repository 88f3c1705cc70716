package dev.shoal.platform.error;

public class UnauthorizedException extends ApiException {

    public UnauthorizedException(String message) {
        super(401, "unauthorized", message);
    }
}
