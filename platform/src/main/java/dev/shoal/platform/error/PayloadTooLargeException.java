package dev.shoal.platform.error;

public class PayloadTooLargeException extends ApiException {

    public PayloadTooLargeException(String message) {
        super(413, "payload_too_large", message);
    }
}
