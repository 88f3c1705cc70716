package dev.shoal.gateway.proxy;

import dev.shoal.gateway.access.AccessPolicy;
import dev.shoal.gateway.access.Authenticated;
import dev.shoal.gateway.access.Decision;
import dev.shoal.gateway.access.Denied;
import dev.shoal.gateway.audit.service.AuditLog;
import dev.shoal.gateway.ratelimit.RateLimiter;
import dev.shoal.gateway.route.Access;
import dev.shoal.gateway.route.AuthKind;
import dev.shoal.gateway.route.PathPattern;
import dev.shoal.gateway.route.Route;
import dev.shoal.gateway.route.RouteMatch;
import dev.shoal.gateway.route.RouteTable;
import dev.shoal.platform.error.ApiException;
import dev.shoal.platform.error.DatabaseOutage;
import dev.shoal.platform.identity.Caller;
import dev.shoal.platform.identity.InternalClaims;
import dev.shoal.platform.identity.InternalTokenVerifier;
import dev.shoal.platform.identity.InternalTokens;
import dev.shoal.platform.identity.Scope;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
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
    /** The user token the request authenticated with, for the gateway's token resources (expiry, scopes). */
    public static final String PRINCIPAL_KEY = "shoal.principal";
    private static final Logger LOG = Logger.getLogger(GatewayRouter.class);
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** {@code /q/metrics}: not in routes.table (it is no API), but decided by the same rules as a site-admin route. */
    private static final Route METRICS = new Route("GET", PathPattern.parse("/q/metrics"), "gateway", AuthKind.USER, Scope.READ,
            Access.SITE_ADMIN, 0);
    private static final Set<HttpMethod> MUTATING = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

    private final RouteTable table = RouteTable.load();
    private final AccessPolicy policy;
    private final RateLimiter rateLimiter;
    private final InternalTokens tokens;
    private final ServiceProxy proxy;
    private final AuditLog audit;
    private final InternalTokenVerifier verifier;
    private final Dialects dialects;
    private final ErrorWriter errors;

    public GatewayRouter(AccessPolicy policy, RateLimiter rateLimiter, InternalTokens tokens, ServiceProxy proxy,
                         AuditLog audit, InternalTokenVerifier verifier, Dialects dialects, ErrorWriter errors) {
        this.policy = policy;
        this.rateLimiter = rateLimiter;
        this.tokens = tokens;
        this.proxy = proxy;
        this.audit = audit;
        this.verifier = verifier;
        this.dialects = dialects;
        this.errors = errors;
    }

    public RouteTable table() {
        return table;
    }

    void install(@Observes Router router) {
        router.route().order(-10_000).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        // The raw path as received: the framework dispatches on its normalized form, so a path whose
        // normalization would change it is refused before anything else looks at it, /q/ included.
        String path = request.path();
        String requestId = requestId(request);
        ctx.response().putHeader(InternalClaims.REQUEST_ID_HEADER, requestId);
        String problem = CanonicalPath.problem(path);
        if (problem != null) {
            errors.write(ctx, 400, "validation_failed", problem);
            return;
        }
        if (path.startsWith("/q/")) {
            management(ctx, path, requestId);
            return;
        }
        if (path.startsWith("/internal/")) {
            guardInternal(ctx);
            return;
        }
        // A dialect's other spellings of a route (Pagure's no-namespace and fork/ forms) become one before
        // anything is matched, so the table, the access checks and the services see one form only.
        path = dialects.of(path).canonical(path);
        String service = request.getParam("service");
        Map<String, List<String>> query = service == null ? Map.of() : Map.of("service", List.of(service));
        String method = request.method().name();
        RouteMatch match = table.match(method, path, query);
        if (match == null) {
            if (table.matchesOtherMethod(path, query)) {
                errors.write(ctx, 405, "method_not_allowed", method + " is not allowed on " + request.path());
            } else {
                errors.write(ctx, 404, "not_found", "no such route: " + method + " " + request.path());
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
        decide(ctx, match, requestId, forwardUri);
    }

    /** Authenticate, rate limit, authorize, then answer here or forward; or refuse. */
    private void decide(RoutingContext ctx, RouteMatch match, String requestId, String forwardUri) {
        HttpServerRequest request = ctx.request();
        Route route = match.route();
        String clientIp = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        policy.authenticate(route, request.getHeader(HttpHeaders.AUTHORIZATION), clientIp)
                .onFailure(Denied.class).transform(failure -> countFailedAuthentication(failure, clientIp))
                .invoke(who -> enforceRateLimit(who, clientIp))
                .invoke(who -> ctx.put(PRINCIPAL_KEY, who.principal()))
                .chain(who -> policy.authorize(match, who))
                .subscribe().with(decision -> dispatch(ctx, route, decision, requestId, forwardUri), failure -> refuse(ctx, failure));
    }

    /**
     * Quarkus's own endpoints under {@code /q/}: health is public (probes, load balancers), metrics need
     * a site administrator (they name routes, pools and outbox backlogs), and nothing else is served
     * (dev UI, OpenAPI and the like answer 404, as an unknown route).
     */
    private void management(RoutingContext ctx, String path, String requestId) {
        HttpServerRequest request = ctx.request();
        boolean read = request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD;
        if (read && (path.equals("/q/health") || path.startsWith("/q/health/"))) {
            ctx.next();
            return;
        }
        if (read && path.equals("/q/metrics")) {
            request.pause();
            decide(ctx, new RouteMatch(METRICS, Map.of()), requestId, path);
            return;
        }
        errors.write(ctx, 404, "not_found", "no such route: " + request.method().name() + " " + path);
    }

    /**
     * A refused credential counts against its client address, as an anonymous request would: without
     * this, token guessing (and the table lookup each guess costs) would be the one thing never limited.
     */
    private Throwable countFailedAuthentication(Throwable failure, String clientIp) {
        long wait = rateLimiter.acquire("ip:" + clientIp);
        return wait > 0 ? new RateLimited(wait) : failure;
    }

    /**
     * Verified callers count under their identity. An agent's token is verified by pipeline-service, not
     * here: its request passes while its address is not exhausted, and a 401 coming back counts against
     * the address (see {@link #dispatch}), like any other refused credential.
     */
    private void enforceRateLimit(Authenticated who, String clientIp) {
        long wait = who.agentToken() != null ? rateLimiter.waitFor("ip:" + clientIp) : rateLimiter.acquire(who.rateKey());
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
        continueIfExpected(ctx.request());
        if (route.service().equals("gateway")) {
            ctx.request().resume();
            ctx.next();
            return;
        }
        if (decision.agentToken() != null) {
            String clientIp = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
            // Counted as the answer's head is written, before the client can read it and ask again
            // (after the end, a client quick enough would pass with its next guess).
            ctx.addHeadersEndHandler(head -> {
                if (ctx.response().getStatusCode() == 401) {
                    rateLimiter.acquire("ip:" + clientIp);
                }
            });
        }
        proxy.forward(ctx, forwardUri, route.service(), tokens.forCaller(decision.caller(), route.service()),
                decision.agentToken(), decision.headers(), requestId);
    }

    /**
     * A client that sends {@code Expect: 100-continue} (curl does for bodies over 1 MiB) holds its
     * body back until told to go on, or for a second. The request is accepted by now, so the gateway
     * answers the expectation itself and takes it off the request: a refusal before this point is
     * answered without the body ever being sent, and neither the service nor a local resource is
     * left to answer it a second time (nor, if it would not, to leave the client waiting).
     */
    private static void continueIfExpected(HttpServerRequest request) {
        String expect = request.getHeader(HttpHeaders.EXPECT);
        if (expect == null || !expect.trim().equalsIgnoreCase("100-continue")) {
            return;
        }
        request.headers().remove(HttpHeaders.EXPECT);
        if (request.version() != HttpVersion.HTTP_1_0) {
            request.response().writeContinue();
        }
    }

    private boolean refuseBody(RoutingContext ctx, Route route) {
        HttpServerRequest request = ctx.request();
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            if (request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
                errors.write(ctx, 411, "length_required", "send this body with a Content-Length header");
                return true;
            }
            return false;
        }
        long size;
        try {
            size = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            errors.write(ctx, 400, "bad_request", "Content-Length must be a number");
            return true;
        }
        if (size > route.bodyLimit()) {
            errors.write(ctx, 413, "payload_too_large", "the body may be at most " + route.bodyLimit()
                    + " bytes on this route; this one has " + size);
            return true;
        }
        return false;
    }

    private void refuse(RoutingContext ctx, Throwable failure) {
        if (failure instanceof Denied denied && denied.challenge() != null) {
            ctx.response().putHeader("WWW-Authenticate", denied.challenge());
        }
        if (failure instanceof RateLimited limited) {
            ctx.response().putHeader("Retry-After", String.valueOf(limited.retryAfter));
        }
        if (failure instanceof ApiException api) {
            errors.write(ctx, api.status(), api.code(), api.getMessage());
            return;
        }
        if (failure.getClass().getSimpleName().contains("Timeout") || DatabaseOutage.causedBy(failure)) {
            errors.write(ctx, 503, "service_unavailable", "a service needed to authorize this request is not reachable; try again");
            return;
        }
        String traceId = UUID.randomUUID().toString();
        LOG.errorf(failure, "authorizing a request failed, trace id %s", traceId);
        errors.write(ctx, 500, "internal", "an unexpected error occurred; trace id " + traceId);
    }

    /**
     * {@code /internal/**} answers only other services: a service token (ADR 0006) addressed to the
     * gateway, from a service allowed on that endpoint. To anyone else it does not exist.
     */
    private void guardInternal(RoutingContext ctx) {
        String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        // The allow-list goes by path prefix; handle() has already refused any path whose normalized
        // form differs, so no '..' can walk from one prefix to another.
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
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
        errors.write(ctx, 404, "not_found", "no such route: " + ctx.request().method() + " " + ctx.request().path());
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
