package dev.shoal.platform.client;

import dev.shoal.platform.identity.InternalClaims;
import dev.shoal.platform.identity.InternalTokens;
import dev.shoal.platform.observability.RequestIdFilter;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.MDC;

/**
 * Calls another Shoal service's internal API ({@code /internal/...}) with this service's own token,
 * addressed to that service (ADR 0006): it says "service X" and carries no user. Base URLs come
 * from {@code shoal.services.<name>.url}.
 *
 * <p>The typed calls ({@link #get}, {@link #find}, {@link #post}, {@link #bytes}) are the one way a
 * service asks another: they read the answer with {@link InternalAnswers} (the upstream's status,
 * code and message kept; no envelope is 502 {@code upstream_error}) and turn a service that does not
 * answer into 503 {@code service_unavailable}.
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

    /** The {@code data} of {@code GET path} on {@code service} (a list comes as {@code {"data": [...]}}). */
    public Uni<JsonObject> get(String service, String path) {
        return guard(request(HttpMethod.GET, service, path).send(), service).map(InternalAnswers::data);
    }

    /** Like {@link #get}, but a 404 is an empty answer instead of an error. */
    public Uni<Optional<JsonObject>> find(String service, String path) {
        return guard(request(HttpMethod.GET, service, path).send(), service)
                .map(r -> r.statusCode() == 404 ? Optional.<JsonObject>empty() : Optional.of(InternalAnswers.data(r)));
    }

    /** The {@code data} of {@code POST path} with a JSON body. */
    public Uni<JsonObject> post(String service, String path, JsonObject body) {
        return guard(request(HttpMethod.POST, service, path).sendJsonObject(body), service).map(InternalAnswers::data);
    }

    /** The raw body of {@code GET path} (a file, a document that is no envelope); empty on 404. */
    public Uni<Optional<byte[]>> bytes(String service, String path) {
        return guard(request(HttpMethod.GET, service, path).send(), service).map(r -> {
            if (r.statusCode() == 404) {
                return Optional.<byte[]>empty();
            }
            if (r.statusCode() / 100 != 2) {
                throw InternalAnswers.error(r, InternalAnswers.json(r));
            }
            return Optional.of(r.body() == null ? new byte[0] : r.body().getBytes());
        });
    }

    /** A path segment or query value, percent-encoded ({@code %20} for a space, as paths want). */
    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Uni<HttpResponse<Buffer>> guard(Uni<HttpResponse<Buffer>> call, String service) {
        return InternalAnswers.guard(call, "gateway".equals(service) ? "the gateway" : service + "-service");
    }

    /** A request to {@code service} (e.g. {@code repo}) at {@code path}, authenticated as this service. */
    HttpRequest<Buffer> request(HttpMethod method, String service, String path) {
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

    static String baseUrl(String service) {
        return ConfigProvider.getConfig().getOptionalValue("shoal.services." + service + ".url", String.class)
                .orElseThrow(() -> new IllegalStateException("shoal.services." + service + ".url is not set"));
    }
}
