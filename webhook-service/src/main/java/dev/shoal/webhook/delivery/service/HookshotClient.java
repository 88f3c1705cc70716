package dev.shoal.webhook.delivery.service;

import dev.shoal.webhook.config.WebhookConfig;
import dev.shoal.webhook.delivery.AttemptResult;
import dev.shoal.webhook.guard.AddressGuard;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sends one delivery request, non-blocking. The target host is resolved first and EVERY address
 * it resolves to is checked by the {@link AddressGuard}; the connection then goes to the checked
 * address itself (never re-resolving, so DNS rebinding cannot swap it), with the original Host
 * header and TLS server name. Redirects are not followed: a 3xx is recorded as a failed attempt.
 */
@ApplicationScoped
public class HookshotClient {

    private final Vertx vertx;
    private final WebhookConfig config;
    private final AddressGuard guard;
    private final String userAgent;
    private volatile HttpClient http;

    public HookshotClient(Vertx vertx, WebhookConfig config,
                          @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
        this.vertx = vertx;
        this.config = config;
        this.guard = config.allowedHosts().map(AddressGuard::withAllowList).orElseGet(AddressGuard::strict);
        this.userAgent = "Shoal-Hookshot/" + version;
    }

    public AddressGuard guard() {
        return guard;
    }

    void close(@Observes ShutdownEvent event) {
        HttpClient current = http;
        if (current != null) {
            current.close();
        }
    }

    /** Never fails: every problem becomes an {@link AttemptResult} with an error. */
    public Uni<AttemptResult> send(String url, UUID deliveryUuid, long hookId, String event, byte[] body, String secret) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            return Uni.createFrom().item(AttemptResult.notSent(url, "the hook URL cannot be parsed: " + e.getReason()));
        }
        if (uri.getHost() == null) {
            return Uni.createFrom().item(AttemptResult.notSent(url, "the hook URL has no valid host name"));
        }
        Instant started = Instant.now();
        long startNanos = System.nanoTime();
        String host = AddressGuard.normalizeHost(uri.getHost());
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
        String signature = Signatures.sha256(secret, body);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", uri.getRawAuthority());
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", userAgent);
        headers.put("X-Shoal-Event", event);
        headers.put("X-Shoal-Delivery", deliveryUuid.toString());
        headers.put("X-Shoal-Hook-ID", String.valueOf(hookId));
        headers.put("X-Shoal-Signature-256", signature);
        headers.put("X-Hub-Signature-256", signature);

        return Uni.createFrom().completionStage(() -> resolve(host)
                        .compose(addresses -> {
                            Optional<String> blocked = blockedReason(host, addresses);
                            if (blocked.isPresent()) {
                                return Future.succeededFuture(result(url, headers, null, null, null, false,
                                        blocked.get(), true, startNanos, started));
                            }
                            return exchange(uri, host, port, https, addresses[0], headers, body, url, startNanos, started);
                        })
                        .recover(error -> Future.succeededFuture(result(url, headers, null, null, null, false,
                                describe(error, host), false, startNanos, started)))
                        .toCompletionStage());
    }

    private Optional<String> blockedReason(String host, InetAddress[] addresses) {
        Optional<String> literal = guard.checkLiteralHost(host);
        if (literal.isPresent()) {
            return Optional.of("blocked target: " + literal.get());
        }
        if (guard.hostAllowed(host)) {
            return Optional.empty();
        }
        for (InetAddress address : addresses) {
            Optional<String> reason = guard.check(address);
            if (reason.isPresent()) {
                return Optional.of("blocked target: " + host + " resolves to " + address.getHostAddress() + ", "
                        + reason.get() + "; webhooks may only reach public addresses (an operator can allow it in "
                        + "shoal.webhook.allowed-hosts)");
            }
        }
        return Optional.empty();
    }

    /** DNS lookups block, so they run on a worker thread. IP literals are parsed without DNS. */
    private Future<InetAddress[]> resolve(String host) {
        return vertx.executeBlocking(() -> {
            InetAddress[] all = InetAddress.getAllByName(host.contains(":") ? "[" + host + "]" : host);
            if (all.length == 0) {
                throw new UnknownHostException(host);
            }
            return all;
        }, false);
    }

    private Future<AttemptResult> exchange(URI uri, String host, int port, boolean https, InetAddress address,
                                           Map<String, String> headers, byte[] body, String url, long startNanos,
                                           Instant started) {
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        long timeout = config.timeout().toMillis();
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(host)
                .setPort(port)
                .setSsl(https)
                .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(address, port)))
                .setURI(path)
                .setFollowRedirects(false)
                .setConnectTimeout(timeout)
                .setIdleTimeout(timeout);
        headers.forEach(options::putHeader);
        Promise<AttemptResult> done = Promise.promise();
        long timer = vertx.setTimer(timeout, id -> done.tryFail(new TimeoutException(timeout)));
        client().request(options)
                .onFailure(done::tryFail)
                .onSuccess(request -> {
                    done.future().onFailure(error -> request.reset());
                    request.send(Buffer.buffer(body))
                            .onFailure(done::tryFail)
                            .onSuccess(response -> readCapped(response, url, headers, startNanos, started, done));
                });
        return done.future().onComplete(ignored -> vertx.cancelTimer(timer));
    }

    private void readCapped(HttpClientResponse response, String url, Map<String, String> requestHeaders, long startNanos,
                            Instant started, Promise<AttemptResult> done) {
        int cap = config.maxResponseBody();
        Buffer kept = Buffer.buffer();
        boolean[] truncated = {false};
        response.handler(chunk -> {
            int room = cap - kept.length();
            if (room >= chunk.length()) {
                kept.appendBuffer(chunk);
            } else {
                if (room > 0) {
                    kept.appendBuffer(chunk.getBuffer(0, room));
                }
                truncated[0] = true;
            }
        });
        response.exceptionHandler(done::tryFail);
        response.endHandler(end -> {
            Map<String, String> headers = new LinkedHashMap<>();
            response.headers().names().forEach(name -> headers.put(name, String.join(", ", response.headers().getAll(name))));
            int status = response.statusCode();
            String error = null;
            if (status >= 300 && status < 400) {
                error = "redirect to " + response.getHeader("Location") + " not followed: update the hook URL";
            } else if (status < 200 || status >= 300) {
                error = "receiver answered HTTP " + status;
            }
            done.tryComplete(result(url, requestHeaders, status, headers, kept.toString(StandardCharsets.UTF_8),
                    truncated[0], error, false, startNanos, started));
        });
    }

    private HttpClient client() {
        HttpClient current = http;
        if (current == null) {
            synchronized (this) {
                if (http == null) {
                    http = vertx.createHttpClient(new HttpClientOptions()
                            .setForceSni(true)
                            .setVerifyHost(true)
                            .setKeepAlive(true)
                            .setMaxRedirects(0), new io.vertx.core.http.PoolOptions()
                            .setHttp1MaxSize(Math.max(1, config.dispatcher().maxPerHost())));
                }
                current = http;
            }
        }
        return current;
    }

    private static AttemptResult result(String url, Map<String, String> requestHeaders, Integer status,
                                        Map<String, String> responseHeaders, String responseBody, boolean truncated,
                                        String error, boolean permanent, long startNanos, Instant started) {
        long duration = (System.nanoTime() - startNanos) / 1_000_000;
        return new AttemptResult(url, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requestHeaders)), status, responseHeaders, responseBody, truncated, error,
                permanent, duration, started);
    }

    private static String describe(Throwable error, String host) {
        if (error instanceof TimeoutException) {
            return error.getMessage();
        }
        if (error instanceof UnknownHostException) {
            return "host " + host + " could not be resolved";
        }
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        return "network error: " + message;
    }

    /** The whole exchange took longer than the configured timeout. */
    static final class TimeoutException extends RuntimeException {
        TimeoutException(long millis) {
            super("no complete answer within " + millis + " ms", null, false, false);
        }
    }
}
