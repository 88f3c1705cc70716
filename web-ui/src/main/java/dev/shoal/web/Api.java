package dev.shoal.web;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientResponse;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The public API, called through the gateway with the visitor's own session token (or none). The
 * web interface has no other access path: every page sees exactly what its visitor may see.
 */
@ApplicationScoped
public class Api {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final WebClient client;
    private final HttpClient streams;
    private final URI gateway;

    public Api(Vertx vertx, @ConfigProperty(name = "shoal.services.gateway.url") String gatewayUrl) {
        this.gateway = URI.create(gatewayUrl);
        this.client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                .setDefaultHost(gateway.getHost()).setDefaultPort(gateway.getPort()).setMaxPoolSize(64));
        // a separate client for long-lived streams, so a page's calls never queue behind them
        this.streams = vertx.createHttpClient(new HttpClientOptions().setTcpNoDelay(true).setMaxPoolSize(256)
                .setDefaultHost(gateway.getHost()).setDefaultPort(gateway.getPort()));
    }

    /**
     * Opens a streamed GET (server-sent events) and answers once the headers are in. The response is
     * paused, so no byte is lost before the caller subscribes to its body.
     */
    public HttpClientResponse open(String path, String token, Map<String, String> headers) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setURI(path)
                .setConnectTimeout(TIMEOUT.toMillis());
        if (token != null) {
            options.putHeader("Authorization", "Bearer " + token);
        }
        headers.forEach(options::putHeader);
        try {
            return streams.request(options).onItem().transformToUni(request -> request.send())
                    .invoke(HttpClientResponse::pause)
                    .await().atMost(TIMEOUT);
        } catch (RuntimeException e) {
            throw new WebException(503, "Shoal's API is not reachable right now; try again in a moment.");
        }
    }

    /** A status and the parsed JSON body (an empty map when there is none). */
    public record Answer(int status, Map<String, Object> body, String text, List<Map<String, Object>> bare) {

        public boolean ok() {
            return status >= 200 && status < 300;
        }

        @SuppressWarnings("unchecked")
        public Map<String, Object> data() {
            Object data = body.get("data");
            return data instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
        }

        @SuppressWarnings("unchecked")
        public List<Map<String, Object>> list() {
            Object data = body.get("data");
            return data instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
        }

        /** A list answered bare (Woodpecker's and Drone's dialect) or in the envelope. */
        @SuppressWarnings("unchecked")
        public List<Map<String, Object>> listOrBody() {
            if (bare != null) {
                return bare;
            }
            return list();
        }

        /** The total of a paged list (its pagination), or the list's size. */
        public long total() {
            Object pagination = body.get("pagination");
            if (pagination instanceof Map<?, ?> map && map.get("total") instanceof Number n) {
                return n.longValue();
            }
            return list().size();
        }

        /** The refusal's machine-readable code ({@code merge_conflict}...), or null. */
        public String code() {
            return body.get("error") instanceof Map<?, ?> error && error.get("code") != null ? error.get("code").toString() : null;
        }

        /** The refusal's details ({@code paths} of a merge conflict...), empty when there are none. */
        @SuppressWarnings("unchecked")
        public Map<String, Object> details() {
            return body.get("error") instanceof Map<?, ?> error && error.get("details") instanceof Map<?, ?> details
                    ? (Map<String, Object>) details : Map.of();
        }

        /** The API's own words for a refusal, to show the person. */
        public String message() {
            if (body.get("error") instanceof Map<?, ?> error && error.get("message") != null) {
                return error.get("message").toString();
            }
            return "the server answered " + status;
        }
    }

    public Answer get(String path, String token) {
        return send(HttpMethod.GET, path, token, null);
    }

    public Answer send(HttpMethod method, String path, String token, Object body) {
        return send(method, path, token, body, Map.of());
    }

    public Answer send(HttpMethod method, String path, String token, Object body, Map<String, String> headers) {
        HttpRequest<Buffer> request = client.request(method, path).timeout(TIMEOUT.toMillis());
        if (token != null) {
            request.putHeader("Authorization", "Bearer " + token);
        }
        headers.forEach(request::putHeader);
        if (body != null) {
            request.putHeader("Content-Type", "application/json");
        }
        HttpResponse<Buffer> response;
        try {
            response = (body == null ? request.send() : request.sendBuffer(Buffer.buffer(Json.encode(body))))
                    .await().atMost(TIMEOUT.plusSeconds(5));
        } catch (RuntimeException e) {
            // gateway down or too slow: a page that says so, not a stack trace
            throw new WebException(503, "Shoal's API is not reachable right now; try again in a moment.");
        }
        String text = response.bodyAsString();
        return new Answer(response.statusCode(), parse(text), text == null ? "" : text, parseList(text));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> parseList(String text) {
        if (text == null || !text.startsWith("[")) {
            return null;
        }
        try {
            return (List<Map<String, Object>>) (List<?>) new io.vertx.core.json.JsonArray(text).getList();
        } catch (DecodeException e) {
            return null;
        }
    }

    private static Map<String, Object> parse(String text) {
        if (text == null || !text.startsWith("{")) {
            return Map.of();
        }
        try {
            return new JsonObject(text).getMap();
        } catch (DecodeException e) {
            return Map.of();
        }
    }
}
