package dev.shoal.gateway;

import static dev.shoal.gateway.Api.ADMIN_TOKEN;
import static dev.shoal.gateway.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.platform.compat.pagure.PagureErrors;
import dev.shoal.platform.compat.storage.StorageErrors;
import dev.shoal.gateway.route.Access;
import dev.shoal.gateway.route.AuthKind;
import dev.shoal.gateway.route.Route;
import dev.shoal.gateway.route.RouteTable;
import dev.shoal.platform.identity.Scope;
import dev.shoal.platform.outbox.Outbox;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every route of the table against every kind of caller, on a public and a private repository.
 * The expected answer is derived from the route's declared policy, so a route cannot be added
 * without one, and a policy the gateway does not enforce fails here.
 *
 * <p>Callers: anonymous; members with read, write and admin tokens; the owner; outsiders with read
 * and admin tokens; the owner of another organization (a wrong-org member); the site admin; and three
 * holders of bad credentials with the strongest scope and membership, which must gain nothing: an
 * expired token, a revoked token and the token of a deactivated user. Those are answered 401 on every
 * route that reads credentials, optional ones included (never silently anonymous), with a message
 * naming their case, and are sent the way each route's clients send them: Basic for git, {@code token}
 * for Pagure, Bearer elsewhere.
 */
@QuarkusTest
@GatewayTestResources
class ScopeMatrixTest {

    /** {@code refusal}: for a bad credential, the words its 401 message must contain; null for good ones. */
    record Who(String name, String token, Scope scope, String role, boolean siteAdmin, String refusal) {

        Who(String name, String token, Scope scope, String role, boolean siteAdmin) {
            this(name, token, scope, role, siteAdmin, null);
        }
    }

    record Outcome(int status, String code) {
        static final Outcome ALLOW = new Outcome(0, null);
    }

    /** One request of the matrix: a route, on the public or the private repository, by one caller. */
    record Case(Route route, boolean isPrivate, Who who) {
        @Override
        public String toString() {
            return route + " as " + who.name() + (namesRepo(route) ? (isPrivate ? " (private)" : " (public)") : "");
        }
    }

    /** What came back: status, the challenge header, and the body when it is a JSON object (else null). */
    record Answer(int status, String challenge, JsonObject body, String text) {

        String string(String dotted) {
            Object value = value(dotted);
            return value == null ? null : value.toString();
        }

        Object value(String dotted) {
            Object at = body;
            for (String key : dotted.split("\\.")) {
                if (!(at instanceof JsonObject object)) {
                    return null;
                }
                at = object.getValue(key);
            }
            return at;
        }
    }

    /**
     * Requests in flight at once. The matrix is thousands of requests; sent one by one through REST
     * Assured it took minutes, most of it client-side and waiting. The JDK client with a few in flight
     * keeps the gateway (and the echoing upstream) busy instead.
     */
    private static final int IN_FLIGHT = 8;

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @TestHTTPResource("/")
    URI base;

    private static String org;
    private static long orgId;
    private static String publicRepo;
    private static String privateRepo;
    private static long publicId;
    private static long privateId;
    private static List<Who> callers;

    @Inject
    Pool pool;

    @Inject
    Outbox outbox;

    @BeforeEach
    void setUp() {
        if (callers != null) {
            return;
        }
        String owner = Api.unique("olivia");
        String member = Api.unique("mel");
        String outsider = Api.unique("otto");
        Api.createUser(owner);
        Api.createUser(member);
        Api.createUser(outsider);
        org = Api.unique("acme");
        String ownerAdmin = Api.tokenFor(owner, "admin");
        Api.createOrg(ownerAdmin, org);
        Api.addMember(ownerAdmin, org, member, "member");
        orgId = ((Number) as(null).get("/api/v1/orgs/" + org).then().extract().path("data.id")).longValue();
        publicRepo = "pub";
        privateRepo = "priv";
        publicId = RepoFixture.announce(pool, outbox, orgId, org, publicRepo, false, ownerAdmin);
        privateId = RepoFixture.announce(pool, outbox, orgId, org, privateRepo, true, ownerAdmin);
        String otherOwner = Api.unique("oscar");
        Api.createUser(otherOwner);
        String otherOwnerAdmin = Api.tokenFor(otherOwner, "admin");
        Api.createOrg(otherOwnerAdmin, Api.unique("rival"));
        callers = List.of(
                new Who("anonymous", null, null, "none", false),
                new Who("other-org-owner", otherOwnerAdmin, Scope.ADMIN, "none", false),
                new Who("expired", BadTokens.expired(pool, member), Scope.ADMIN, "member", false, "expired"),
                new Who("revoked", BadTokens.revoked(member), Scope.ADMIN, "member", false, "revoked"),
                new Who("deactivated", BadTokens.ofDeactivatedUser(ownerAdmin, org), Scope.ADMIN, "owner", false, "deactivated"),
                new Who("member-read", Api.tokenFor(member, "read"), Scope.READ, "member", false),
                new Who("member-write", Api.tokenFor(member, "write"), Scope.WRITE, "member", false),
                new Who("member-admin", Api.tokenFor(member, "admin"), Scope.ADMIN, "member", false),
                new Who("owner-admin", ownerAdmin, Scope.ADMIN, "owner", false),
                new Who("outsider-read", Api.tokenFor(outsider, "read"), Scope.READ, "none", false),
                new Who("outsider-admin", Api.tokenFor(outsider, "admin"), Scope.ADMIN, "none", false),
                new Who("site-admin", ADMIN_TOKEN, Scope.ADMIN, "owner", true));
    }

    @Test
    void everyRouteAnswersEveryCallerAsItsPolicySays() {
        List<Case> cases = new ArrayList<>();
        for (Route route : RouteTable.load().routes()) {
            for (boolean isPrivate : namesRepo(route) ? List.of(false, true) : List.of(false)) {
                for (Who who : callers) {
                    cases.add(new Case(route, isPrivate, who));
                }
            }
        }
        Semaphore slots = new Semaphore(IN_FLIGHT);
        List<CompletableFuture<String>> problems = new ArrayList<>();
        for (Case c : cases) {
            slots.acquireUninterruptibly();
            problems.add(send(c).whenComplete((answer, failure) -> slots.release())
                    .handle((answer, failure) -> failure != null ? "no answer: " + failure
                            : check(c.route(), c.who(), c.isPrivate(), expected(c.route(), c.who(), c.isPrivate()), answer)));
        }
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            String problem = problems.get(i).join();
            if (problem != null) {
                failures.add(cases.get(i) + ": " + problem);
            }
        }
        assertThat(failures).as("checked %d route × caller pairs", cases.size()).isEmpty();
        assertThat(cases.size()).isGreaterThan(RouteTable.load().routes().size() * callers.size());
    }

    private static Outcome expected(Route route, Who who, boolean isPrivate) {
        if (who.refusal() != null && (route.auth() == AuthKind.USER || route.auth() == AuthKind.OPTIONAL)) {
            return new Outcome(401, "unauthorized");
        }
        if (route.auth() == AuthKind.AGENT) {
            return who.token() == null ? new Outcome(401, "unauthorized") : Outcome.ALLOW;
        }
        if (route.auth() == AuthKind.STORAGE) {
            // Only Code Storage JWTs from a registered issuer pass; Shoal tokens are not JWTs (StorageAuthTest).
            return new Outcome(401, "unauthorized");
        }
        if (who.token() == null) {
            if (route.auth() == AuthKind.USER) {
                return new Outcome(401, "unauthorized");
            }
        } else if (route.scope() != null && !who.scope().includes(route.scope())) {
            return new Outcome(403, "insufficient_scope");
        }
        if (route.access() == Access.SITE_ADMIN) {
            return who.siteAdmin() ? Outcome.ALLOW : new Outcome(403, "forbidden");
        }
        if (route.access() == Access.ANY || !route.pattern().hasParam("org") && !route.pattern().hasParam("org_id")
                && !route.pattern().hasParam("repo_id")) {
            return Outcome.ALLOW;
        }
        boolean member = !who.role().equals("none");
        if (namesRepo(route) && isPrivate && !member) {
            return who.token() == null && route.isGit() ? new Outcome(401, "unauthorized") : new Outcome(404, "not_found");
        }
        if (route.access() == Access.MEMBER && !member || route.access() == Access.OWNER && !who.role().equals("owner")) {
            return new Outcome(403, "forbidden");
        }
        return Outcome.ALLOW;
    }

    /** A hidden project is Pagure's ENOPROJECT; other refusals translate code for code. */
    private static String pagureCode(Route route, Outcome expected) {
        boolean namesProject = route.pattern().text().contains("{repo}") || route.pattern().text().contains("{org}");
        return expected.code().equals("not_found") && namesProject ? "ENOPROJECT" : PagureErrors.codeFor(expected.code(), null);
    }

    private static String check(Route route, Who who, boolean isPrivate, Outcome expected, Answer response) {
        int status = response.status();
        // Pagure-dialect routes answer refusals as {"error": message, "error_code": "E…"}.
        boolean pagure = PagureErrors.isPagurePath(route.pattern().text());
        // Code Storage REST routes answer {"error": message, "code": code} (the SDK reads a string error).
        boolean storage = StorageErrors.isStoragePath(route.pattern().text());
        String code = status < 400 ? null : pagure ? response.string("error_code")
                : storage ? response.string("code") : response.string("error.code");
        if (expected != Outcome.ALLOW) {
            String expectedCode = pagure ? pagureCode(route, expected) : expected.code();
            if (status != expected.status() || !expectedCode.equals(code)) {
                return "expected " + expected.status() + " " + expected.code() + ", got " + status + " " + code;
            }
            return who.refusal() == null || route.auth() == AuthKind.STORAGE ? null : checkRefusal(route, who, response, pagure);
        }
        if (route.isWeb()) {
            // Pages are forwarded as they come (auth none): web-ui reads its own session cookie.
            JsonObject echoed = (JsonObject) response.value("echo.claims");
            return status == 200 && echoed != null && "anonymous".equals(echoed.getString("kind")) ? null
                    : "expected forwarding to web-ui without credentials, got " + status + " " + response.text();
        }
        if (!route.service().equals("gateway")) {
            if (route.service().equals("webhook")) {
                return status == 503 ? null : "expected forwarding (503 from the stopped webhook service), got " + status + " " + code;
            }
            if (status != 200) {
                return "expected forwarding, got " + status + " " + code + " " + response.text();
            }
            JsonObject echoed = (JsonObject) response.value("echo.claims");
            Map<String, Object> claims = echoed == null ? Map.of() : echoed.getMap();
            // auth none reads no credentials: whatever the caller sends, the service hears an anonymous caller.
            String kind = route.auth() == AuthKind.AGENT ? "agent"
                    : who.token() == null || route.auth() == AuthKind.NONE ? "anonymous" : "user";
            if (!kind.equals(claims.get("kind"))) {
                return "internal JWT kind " + claims.get("kind") + ", expected " + kind;
            }
            if (route.pattern().hasParam("org_id") && !(claims.get("org_id") instanceof Number)) {
                return "internal JWT without org_id: " + claims;
            }
            if (route.pattern().hasParam("org_id") && ((Number) claims.get("org_id")).longValue() != orgId) {
                return "internal JWT org_id " + claims.get("org_id") + ", expected " + orgId;
            }
            if (namesRepo(route)) {
                if (!(claims.get("repo_id") instanceof Number named)) {
                    return "internal JWT without repo_id: " + claims;
                }
                long repoId = named.longValue();
                if (repoId != (isPrivate ? privateId : publicId)) {
                    return "internal JWT repo_id " + repoId;
                }
                if (!who.role().equals(claims.get("role"))) {
                    return "internal JWT role " + claims.get("role") + ", expected " + who.role();
                }
            }
            return null;
        }
        if (status == 401 || status == 403 || status == 429 || status >= 500) {
            return "expected the gateway's own resource to answer, got " + status + " " + code;
        }
        String message = status != 404 ? "" : pagure ? response.string("error") : response.string("error.message");
        return message != null && (message.startsWith("repository") || message.startsWith("organization"))
                ? "refused as not found: " + message : null;
    }

    /** A bad credential's 401 says which case it is and carries the challenge its client retries with. */
    private static String checkRefusal(Route route, Who who, Answer response, boolean pagure) {
        String message = pagure ? response.string("error") : response.string("error.message");
        if (message == null || !message.contains(who.refusal())) {
            return "401 without saying '" + who.refusal() + "': " + message;
        }
        String challenge = response.challenge();
        String scheme = route.isGit() ? "Basic" : "Bearer";
        return challenge != null && challenge.startsWith(scheme) ? null : "401 with challenge " + challenge + ", expected " + scheme;
    }

    private CompletableFuture<Answer> send(Case c) {
        Route route = c.route();
        boolean withBody = !route.method().equals("GET") && !route.method().equals("DELETE");
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path(route, c.isPrivate())))
                .timeout(Duration.ofSeconds(60))
                .method(route.method(), withBody ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody());
        if (withBody) {
            request.header("Content-Type", "application/json");
        }
        String token = c.who().token();
        if (token != null) {
            request.header("Authorization", c.who().refusal() == null ? "Bearer " + token : BadTokens.authorization(route, token));
        }
        return HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            String text = response.body();
            JsonObject body = null;
            if (text.startsWith("{")) {
                try {
                    body = new JsonObject(text);
                } catch (DecodeException e) {
                    body = null;
                }
            }
            return new Answer(response.statusCode(), response.headers().firstValue("WWW-Authenticate").orElse(null), body, text);
        });
    }

    /** Routes on one repository, by name or by numeric id (Woodpecker). */
    private static boolean namesRepo(Route route) {
        return route.pattern().hasParam("repo") || route.pattern().hasParam("repo_id");
    }

    private static String path(Route route, boolean isPrivate) {
        String text = route.pattern().text();
        return text.replace("{repo_id}", String.valueOf(isPrivate ? privateId : publicId))
                .replace("{org_id}", String.valueOf(orgId))
                .replace("{org}", org)
                .replace("{repo}", isPrivate ? privateRepo : publicRepo)
                .replace("{path*}", "docs/README.md")
                .replace("{username}", "ghost-user")
                .replace("{branch}", "main")
                .replace("{tag}", "v1.0")
                .replace("{name}", "TOKEN")
                .replace("{id+}", "team/999999999")
                .replaceAll("\\{[a-z_]+\\}", "999999999");
    }
}
