package dev.shoal.gateway.proxy;

import dev.shoal.gateway.access.DialectCredentials;
import dev.shoal.gateway.config.GatewayConfig;
import dev.shoal.platform.identity.InternalClaims;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.net.ConnectException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Forwards a request to its service and the answer back, streaming both bodies (git packs, logs
 * and assets are never held whole). The caller's credentials are replaced by the internal JWT.
 */
@ApplicationScoped
public class ServiceProxy {

    private static final Logger LOG = Logger.getLogger(ServiceProxy.class);
    // The client's trace headers are not copied: with tracing on, the Vert.x client adds the
    // gateway's own span (a child of the client's trace), and a copy would come first and hide it.
    // An Expect is answered by the gateway (GatewayRouter) and not passed on.
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "authorization",
            "x-shoal-agent-token", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-request-id",
            "traceparent", "tracestate", "expect");

    /** Answers up to this size are read whole and written at once; larger ones stream. */
    private static final long WHOLE_ANSWER_BYTES = 64 * 1024;

    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    private final Vertx vertx;
    /**
     * One client per event loop, each used only from its own loop: a pooled connection belongs to
     * the event loop that opened it, and one client shared by all loops hands a request arriving on
     * one loop a connection of another, so the request, its answer and the relay each crossed
     * threads (a wake-up and a context switch apiece). Keyed by the calling thread.
     */
    private final Map<Thread, HttpClient> clients = new ConcurrentHashMap<>();
    private final long timeoutMillis;
    private final Map<String, URI> bases = new ConcurrentHashMap<>();
    private final ErrorWriter errors;
    /** Headers only the gateway sets, from a dialect's verified claims ({@link DialectCredentials#headerPrefix()}). */
    private final List<String> vouchedPrefixes;

    public ServiceProxy(Vertx vertx, GatewayConfig config, ErrorWriter errors, @Any Instance<DialectCredentials> dialects) {
        this.errors = errors;
        this.vouchedPrefixes = dialects.stream().map(DialectCredentials::headerPrefix).toList();
        this.vertx = vertx;
        this.timeoutMillis = config.upstreamTimeout().toMillis();
    }

    /**
     * {@code uri} is the request's path and query as the service should see them (Pagure paths are canonical by then);
     * {@code vouched} the headers the gateway's decision sets for the service ({@code Decision.headers()}).
     */
    public void forward(RoutingContext ctx, String uri, String service, String internalToken, String agentToken,
                        Map<String, String> vouched, String requestId) {
        HttpServerRequest in = ctx.request();
        URI base = base(service);
        RequestOptions options = new RequestOptions()
                .setMethod(in.method())
                .setHost(base.getHost())
                .setPort(base.getPort())
                .setURI(uri)
                .setIdleTimeout(timeoutMillis);
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        in.headers().forEach(h -> {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            // A dialect's claims are vouched for by the gateway only: a client's own copies never pass.
            if (!HOP_BY_HOP.contains(name) && !vouchedByTheGateway(name)) {
                headers.add(h.getKey(), h.getValue());
            }
        });
        headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + internalToken);
        headers.set(InternalClaims.REQUEST_ID_HEADER, requestId);
        headers.set("X-Forwarded-For", in.remoteAddress() == null ? "" : in.remoteAddress().hostAddress());
        headers.set("X-Forwarded-Proto", in.scheme() == null ? "http" : in.scheme());
        if (in.authority() != null) {
            headers.set("X-Forwarded-Host", in.authority().toString());
        }
        if (agentToken != null) {
            headers.set(InternalClaims.AGENT_TOKEN_HEADER, agentToken);
        }
        vouched.forEach(headers::set);
        options.setHeaders(headers);
        boolean hasBody = in.headers().contains(HttpHeaders.CONTENT_LENGTH) || in.headers().contains(HttpHeaders.TRANSFER_ENCODING);
        send(ctx, options, service, hasBody, true);
    }

    private boolean vouchedByTheGateway(String lowerCaseName) {
        for (String prefix : vouchedPrefixes) {
            if (lowerCaseName.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A pooled keep-alive connection the service closed just as it was reused fails the request
     * before any answer: a request without a body whose method is safe is sent once more on a fresh
     * connection (as proxies do), since the service cannot have acted on it.
     */
    private void send(RoutingContext ctx, RequestOptions options, String service, boolean hasBody, boolean mayRetry) {
        HttpServerRequest in = ctx.request();
        client().request(options).onComplete(requested -> {
            if (requested.failed()) {
                retryOrFail(ctx, options, service, hasBody, mayRetry, requested.cause());
                return;
            }
            HttpClientRequest out = requested.result();
            (hasBody ? out.send(in) : out.send().onComplete(x -> in.resume()))
                    .onComplete(answered -> {
                        if (answered.failed()) {
                            retryOrFail(ctx, options, service, hasBody, mayRetry, answered.cause());
                        } else {
                            relay(ctx, answered.result());
                        }
                    });
        });
    }

    private void retryOrFail(RoutingContext ctx, RequestOptions options, String service, boolean hasBody, boolean mayRetry,
                             Throwable cause) {
        if (mayRetry && !hasBody && SAFE.contains(options.getMethod()) && cause instanceof HttpClosedException
                && !ctx.response().closed() && !ctx.response().headWritten()) {
            LOG.debugf("%s closed the connection before answering %s %s; sending it again", service,
                    options.getMethod(), options.getURI());
            send(ctx, options, service, false, false);
            return;
        }
        fail(ctx, service, cause);
    }

    private static void relay(RoutingContext ctx, HttpClientResponse upstream) {
        HttpServerResponse out = ctx.response();
        if (out.closed()) {
            // the client left: drop the service's answer quietly (a reset is no error of ours)
            upstream.exceptionHandler(e -> LOG.debugf("answer dropped, the client left: %s", e.getMessage()));
            upstream.request().reset();
            return;
        }
        out.setStatusCode(upstream.statusCode());
        upstream.headers().forEach(h -> {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name)) {
                out.headers().add(h.getKey(), h.getValue());
            }
        });
        long length = contentLength(upstream);
        if (length >= 0 && length <= WHOLE_ANSWER_BYTES) {
            // A small answer (most API answers) goes out in one write, headers and body together;
            // piping it would flush the head and the body separately.
            upstream.body().onComplete(read -> {
                if (out.closed()) {
                    LOG.debugf("answer dropped, the client left");
                } else if (read.succeeded()) {
                    out.end(read.result());
                } else {
                    LOG.debugf("answer ended early: %s", read.cause().getMessage());
                    out.reset();
                }
            });
            return;
        }
        if (!upstream.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            out.setChunked(true);
        }
        upstream.pipeTo(out).onFailure(e -> LOG.debugf("stream to client ended early: %s", e.getMessage()));
    }

    /** The answer's declared length, or -1 when it is streamed without one (or declares nonsense). */
    private static long contentLength(HttpClientResponse upstream) {
        String declared = upstream.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared == null) {
            return -1;
        }
        try {
            return Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void fail(RoutingContext ctx, String service, Throwable cause) {
        HttpServerResponse out = ctx.response();
        if (out.headWritten()) {
            out.reset();
            return;
        }
        if (cause instanceof TimeoutException || cause.getClass().getSimpleName().contains("Timeout")) {
            errors.write(ctx, 504, "gateway_timeout", "the " + service + " service did not answer in time; try again");
        } else if (cause instanceof ConnectException || cause.getCause() instanceof ConnectException) {
            errors.write(ctx, 503, "service_unavailable", "the " + service + " service is not reachable right now; try again shortly");
        } else {
            LOG.warnf("forwarding to %s failed: %s", service, cause.toString());
            errors.write(ctx, 502, "bad_gateway", "the " + service + " service failed to answer; try again");
        }
    }

    /** The calling event loop's own client (see {@link #clients}). */
    private HttpClient client() {
        return clients.computeIfAbsent(Thread.currentThread(), thread -> vertx.createHttpClient(new HttpClientOptions()
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setMaxPoolSize(256)
                // answers are relayed in pieces of up to 64 KiB (Netty's default: 8 KiB), as request
                // bodies are received (quarkus.http.limits.max-chunk-size): each of a clone's 16 KiB
                // chunks is one relay, not two
                .setMaxChunkSize(65536)
                .setConnectTimeout(3_000)
                .setDecompressionSupported(false)));
    }

    private URI base(String service) {
        return bases.computeIfAbsent(service, s -> URI.create(ConfigProvider.getConfig()
                .getValue("shoal.services." + s + ".url", String.class)));
    }
}
