package dev.shoal.issue.client;

import dev.shoal.platform.error.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;

/** Reads another service's envelope, keeping the error details (merge conflict paths) intact. */
final class Upstream {

    private Upstream() {
    }

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
                new ApiException(503, "unavailable", service + " did not answer; try again shortly"));
    }
}
