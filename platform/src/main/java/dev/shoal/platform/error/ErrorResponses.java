package dev.shoal.platform.error;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Builds envelope error responses for the mappers (and for filters that answer before a resource). */
public final class ErrorResponses {

    private ErrorResponses() {
    }

    public static Response of(int status, String code, String message) {
        return of(status, code, message, null);
    }

    public static Response of(int status, String code, String message, Object details) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ErrorBody.of(code, message, details)).build();
    }
}
