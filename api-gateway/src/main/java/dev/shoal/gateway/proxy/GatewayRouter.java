package dev.shoal.gateway.proxy;

import dev.shoal.gateway.access.AccessPolicy;
import dev.shoal.gateway.access.Authenticated;
import dev.shoal.gateway.access.Decision;
import dev.shoal.gateway.access.Denied;
import dev.shoal.gateway.audit.service.AuditLog;
import dev.shoal.gateway.pagure.PagureConfig;
import dev.shoal.gateway.pagure.PagurePaths;
import dev.shoal.gateway.ratelimit.RateLimiter;
import dev.shoal.gateway.route.Route;
import dev.shoal.gateway.route.RouteMatch;
import dev.shoal.gateway.route.RouteTable;
import dev.shoal.platform.error.ApiException;
import dev.shoal.platform.error.DatabaseOutage;
import dev.shoal.platform.identity.Caller;
import dev.shoal.platform.identity.InternalClaims;
import dev.shoal.platform.identity.InternalTokenVerifier;
import dev.shoal.platform.identity.InternalTokens;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The gateway's front door, ahead of every other handler: match the route table (deny by
 * default), refuse path tricks and oversized bodies, authenticate and authorize, rate limit, then
 * answer locally or forward to the owning service. Mutating requests are audited once answered.
 */
@ApplicationScoped
public class GatewayRouter {

    public static final String CALLER_KEY = "shoal.caller";
    private static final Logger LOG = Logger.getLogger(GatewayRouter.class);
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern BAD_SEGMENT = Pattern.compile("(?i)(^|/)(\\.|%2e){1,2}(/|$)|%00|%2f|%5c|\\\\|\\x00");
    private static final Set<HttpMethod> MUTATING = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

    private final RouteTable table = RouteTable.load();
    private final AccessPolicy policy;
    private final RateLimiter rateLimiter;
    private final InternalTokens tokens;
    private final ServiceProxy proxy;
    private final AuditLog audit;
    private final InternalTokenVerifier verifier;
    private final PagureConfig pagure;

    public GatewayRouter(AccessPolicy policy, RateLimiter rateLimiter, InternalTokens tokens, ServiceProxy proxy,
                         AuditLog audit, InternalTokenVerifier verifier, PagureConfig pagure) {
        this.policy = policy;
        this.rateLimiter = rateLimiter;
        this.tokens = tokens;
        this.proxy = proxy;
        this.audit = audit;
        this.verifier = verifier;
        this.pagure = pagure;
    }

    public RouteTable table() {
        return table;
    }

    void install(@Observes Router router) {
        router.route().order(-10_000).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String path = request.path();
        if (path.startsWith("/q/")) {
            ctx.next();
            return;
        }
        String requestId = requestId(request);
        ctx.response().putHeader(InternalClaims.REQUEST_ID_HEADER, requestId);
        if (path.startsWith("/internal/")) {
            guardInternal(ctx);
            return;
        }
        if (BAD_SEGMENT.matcher(path).find()) {
            ErrorWriter.write(ctx, 400, "validation_failed",
                    "the path may not contain '.' or '..' segments, NUL, backslashes or encoded slashes");
            return;
        }
        // Pagure's no-namespace and fork/ forms become /api/0/{org}/{repo}/… before anything is matched,
        // so the table, the access checks and the services see one form only.
        path = PagurePaths.canonical(path, pagure.defaultNamespace());
        String service = request.getParam("service");
        Map<String, List<String>> query = service == null ? Map.of() : Map.of("service", List.of(service));
        String method = request.method().name();
        RouteMatch match = table.match(method, path, query);
        if (match == null) {
            if (table.matchesOtherMethod(path, query)) {
                ErrorWriter.write(ctx, 405, "method_not_allowed", method + " is not allowed on " + request.path());
            } else {
                ErrorWriter.write(ctx, 404, "not_found", "no such route: " + method + " " + request.path());
            }
            return;
        }
        Route route = match.route();
        RouteMetricTag.name(ctx, route);
        if (!route.streamsBody() && refuseBody(ctx, route)) {
            return;
        }
        request.pause();
        if (MUTATING.contains(request.method())) {
            ctx.addEndHandler(done -> recordAudit(ctx, route, requestId));
        }
        String forwardUri = request.query() == null ? path : path + "?" + request.query();
        String clientIp = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        policy.authenticate(route, request.getHeader(HttpHeaders.AUTHORIZATION), clientIp)
                .onFailure(Denied.class).transform(failure -> countFailedAuthentication(failure, clientIp))
                .invoke(this::enforceRateLimit)
                .chain(who -> policy.authorize(match, who))
                .subscribe().with(decision -> dispatch(ctx, route, decision, requestId, forwardUri), failure -> refuse(ctx, failure));
    }

    /**
     * A refused credential counts against its client address, as an anonymous request would: without
     * this, token guessing (and the table lookup each guess costs) would be the one thing never limited.
     */
    private Throwable countFailedAuthentication(Throwable failure, String clientIp) {
        long wait = rateLimiter.acquire("ip:" + clientIp);
        return wait > 0 ? new RateLimited(wait) : failure;
    }

    private void enforceRateLimit(Authenticated who) {
        long wait = rateLimiter.acquire(who.rateKey());
        if (wait > 0) {
            throw new RateLimited(wait);
        }
    }

    /** Refused by the rate limit; carries the seconds until the next request would be allowed. */
    static final class RateLimited extends ApiException {

        private final long retryAfter;

        RateLimited(long retryAfter) {
            super(429, "rate_limited", "too many requests; retry in " + retryAfter + " s");
            this.retryAfter = retryAfter;
        }
    }

    private void dispatch(RoutingContext ctx, Route route, Decision decision, String requestId, String forwardUri) {
        ctx.put(CALLER_KEY, decision.caller());
        if (route.service().equals("gateway")) {
            ctx.request().resume();
            ctx.next();
            return;
        }
        proxy.forward(ctx, forwardUri, route.service(), tokens.forCaller(decision.caller(), route.service()),
                decision.agentToken(), decision.storage(),
                requestId);
    }

    private static boolean refuseBody(RoutingContext ctx, Route route) {
        HttpServerRequest request = ctx.request();
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            if (request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
                ErrorWriter.write(ctx, 411, "length_required", "send this body with a Content-Length header");
                return true;
            }
            return false;
        }
        long size;
        try {
            size = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            ErrorWriter.write(ctx, 400, "bad_request", "Content-Length must be a number");
            return true;
        }
        if (size > route.bodyLimit()) {
            ErrorWriter.write(ctx, 413, "payload_too_large", "the body may be at most " + route.bodyLimit()
                    + " bytes on this route; this one has " + size);
            return true;
        }
        return false;
    }

    private static void refuse(RoutingContext ctx, Throwable failure) {
        if (failure instanceof Denied denied && denied.challenge() != null) {
            ctx.response().putHeader("WWW-Authenticate", denied.challenge());
        }
        if (failure instanceof RateLimited limited) {
            ctx.response().putHeader("Retry-After", String.valueOf(limited.retryAfter));
        }
        if (failure instanceof ApiException api) {
            ErrorWriter.write(ctx, api.status(), api.code(), api.getMessage());
            return;
        }
        if (failure.getClass().getSimpleName().contains("Timeout") || DatabaseOutage.causedBy(failure)) {
            ErrorWriter.write(ctx, 503, "service_unavailable", "a service needed to authorize this request is not reachable; try again");
            return;
        }
        String traceId = UUID.randomUUID().toString();
        LOG.errorf(failure, "authorizing a request failed, trace id %s", traceId);
        ErrorWriter.write(ctx, 500, "internal", "an unexpected error occurred; trace id " + traceId);
    }

    /**
     * {@code /internal/**} answers only other services: a service token (ADR 0006) addressed to the
     * gateway, from a service allowed on that endpoint. To anyone else it does not exist.
     */
    private void guardInternal(RoutingContext ctx) {
        String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        // the allow-list goes by path prefix, so no '..' may walk from one prefix to another
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                && !BAD_SEGMENT.matcher(ctx.request().path()).find()) {
            try {
                InternalTokenVerifier.Token token = verifier.verify(authorization.substring(7).trim());
                if (InternalClaims.KIND_SERVICE.equals(token.kind())
                        && InternalCallers.allowed(token.issuer(), ctx.request().path())) {
                    ctx.put(CALLER_KEY, new Caller(InternalClaims.KIND_SERVICE, null, token.issuer(), false, Set.of(),
                            null, null, Caller.NONE));
                    ctx.next();
                    return;
                }
                LOG.debugf("refused an internal call of %s (%s) to %s", token.issuer(), token.kind(), ctx.request().path());
            } catch (InternalTokenVerifier.Refused e) {
                LOG.debugf("refused an internal call: %s", e.getMessage());
            }
        }
        ErrorWriter.write(ctx, 404, "not_found", "no such route: " + ctx.request().method() + " " + ctx.request().path());
    }

    private void recordAudit(RoutingContext ctx, Route route, String requestId) {
        Caller caller = ctx.get(CALLER_KEY);
        HttpServerRequest request = ctx.request();
        audit.record(new AuditLog.Record(caller == null ? null : caller.userId(), caller == null ? null : caller.login(),
                request.method().name(), route.pattern().text(), request.path(), ctx.response().getStatusCode(), requestId,
                request.remoteAddress() == null ? null : request.remoteAddress().hostAddress()));
    }

    private static String requestId(HttpServerRequest request) {
        String incoming = request.getHeader(InternalClaims.REQUEST_ID_HEADER);
        return incoming != null && REQUEST_ID.matcher(incoming).matches() ? incoming : UUID.randomUUID().toString();
    }
}
