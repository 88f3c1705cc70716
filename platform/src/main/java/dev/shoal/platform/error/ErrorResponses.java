package dev.shoal.platform.error;

import dev.shoal.platform.compat.pagure.PagureErrors;
import dev.shoal.platform.compat.storage.StorageErrors;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Builds error responses for the mappers (and for filters that answer before a resource). */
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

    /**
     * The envelope; Pagure's {@code {"error", "error_code"}} when the request was made under
     * {@code /api/0/}; Code Storage's {@code {"error", "code"}} under {@code /storage/api/}.
     */
    public static Response of(HttpServerRequest request, int status, String code, String message) {
        return of(request, status, code, message, null);
    }

    public static Response of(HttpServerRequest request, int status, String code, String message, Object details) {
        if (request != null && StorageErrors.isStoragePath(request.path())) {
            return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(StorageErrors.body(code, message, details)).build();
        }
        if (request != null && PagureErrors.isPagurePath(request.path())) {
            String pagureCode = PagureErrors.codeFor(code, message);
            String text = PagureErrors.messageFor(pagureCode, message);
            if (details != null && code.equals("validation_failed")) {
                text = text + " " + details;
            }
            return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(PagureErrors.body(pagureCode, text)).build();
        }
        return of(status, code, message, details);
    }
}
