package dev.shoal.platform.client;

import dev.shoal.platform.error.ApiException;
import dev.shoal.platform.error.ServiceUnavailableException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;

/**
 * Reads the answer of another Shoal service's internal API: the {@code data} of a 2xx envelope, or
 * its {@code error} as an {@link ApiException} with the same status, code, message and details (merge
 * conflict paths stay intact); an answer that is no envelope is 502 {@code upstream_error}, a service
 * that does not answer 503 {@code service_unavailable}. {@link ServiceClient}'s typed calls are its only readers.
 */
final class InternalAnswers {

    private InternalAnswers() {
    }

    /** The {@code data} object of a 2xx answer (another value comes wrapped as {@code {"data": value}}), else its error. */
    static JsonObject data(HttpResponse<Buffer> response) {
        JsonObject body = json(response);
        if (response.statusCode() / 100 == 2) {
            Object data = body == null ? null : body.getValue("data");
            return data instanceof JsonObject object ? object : new JsonObject().put("data", data);
        }
        throw error(response, body);
    }

    static ApiException error(HttpResponse<Buffer> response, JsonObject body) {
        JsonObject error = body == null ? null : body.getJsonObject("error");
        if (error == null) {
            return new ApiException(502, "upstream_error", "an upstream service answered " + response.statusCode());
        }
        Object details = error.getValue("details");
        return new ApiException(response.statusCode(), error.getString("code", "upstream_error"),
                error.getString("message", "an upstream service refused the request"),
                details instanceof JsonObject object ? object.getMap() : details);
    }

    static JsonObject json(HttpResponse<Buffer> response) {
        try {
            return response.body() == null || response.body().length() == 0 ? null : response.bodyAsJsonObject();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A service that is down or slow becomes a 503 the client can retry, not a 500. */
    static <T> Uni<T> guard(Uni<T> call, String service) {
        return call.onFailure(e -> !(e instanceof ApiException)).transform(e ->
                new ServiceUnavailableException(service + " did not answer; try again shortly"));
    }
}
