package dev.shoal.platform.error;

public class ValidationException extends ApiException {

    public ValidationException(String message) {
        super(400, "validation_failed", message);
    }
}
