package dev.shoal.platform.client;

import dev.shoal.platform.error.ApiException;
import dev.shoal.platform.identity.InternalClaims;
import dev.shoal.platform.identity.InternalTokens;
import dev.shoal.platform.observability.RequestIdFilter;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.MDC;

/**
 * Calls another Shoal service's internal API ({@code /internal/...}) with this service's own token,
 * addressed to that service (ADR 0006): it says "service X" and carries no user. Base URLs come
 * from {@code shoal.services.<name>.url}.
 */
@ApplicationScoped
public class ServiceClient {

    private final WebClient client;
    private final InternalTokens tokens;

    public ServiceClient(Vertx vertx, InternalTokens tokens) {
        this.client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true).setMaxPoolSize(32)
                .setConnectTimeout(5_000).setIdleTimeout(60));
        this.tokens = tokens;
    }

    /** A request to {@code service} (e.g. {@code repo}) at {@code path}, authenticated as this service. */
    public HttpRequest<Buffer> request(io.vertx.core.http.HttpMethod method, String service, String path) {
        URI base = URI.create(baseUrl(service));
        HttpRequest<Buffer> request = client.request(method, base.getPort(), base.getHost(), path)
                .bearerTokenAuthentication(tokens.forService(service))
                .timeout(30_000);
        // The request being served (if any) lends its id, so both services' logs share it.
        Object requestId = MDC.get(RequestIdFilter.MDC_KEY);
        if (requestId != null) {
            request.putHeader(InternalClaims.REQUEST_ID_HEADER, requestId.toString());
        }
        return request;
    }

    /** Sends and returns the {@code data} of a 2xx envelope; an error envelope becomes an {@link ApiException}. */
    public static Uni<JsonObject> data(Uni<HttpResponse<Buffer>> response) {
        return response.map(r -> {
            JsonObject body = r.bodyAsJsonObject();
            if (r.statusCode() / 100 == 2) {
                return body == null ? new JsonObject() : body.getJsonObject("data", body);
            }
            JsonObject error = body == null ? null : body.getJsonObject("error");
            throw new ApiException(r.statusCode(), error == null ? "upstream_error" : error.getString("code"),
                    error == null ? "upstream answered " + r.statusCode() : error.getString("message"));
        });
    }

    static String baseUrl(String service) {
        return ConfigProvider.getConfig().getOptionalValue("shoal.services." + service + ".url", String.class)
                .orElseThrow(() -> new IllegalStateException("shoal.services." + service + ".url is not set"));
    }

    public static String requestIdHeader() {
        return InternalClaims.REQUEST_ID_HEADER;
    }
}
