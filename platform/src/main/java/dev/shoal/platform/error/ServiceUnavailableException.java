package dev.shoal.platform.error;

/** 503 {@code service_unavailable}: something this request needs (a service, the database) does not answer now. */
public class ServiceUnavailableException extends ApiException {

    public static final String CODE = "service_unavailable";

    public ServiceUnavailableException(String message) {
        super(503, CODE, message);
    }
}
