package dev.shoal.gateway;

import static dev.shoal.gateway.Api.ADMIN_TOKEN;
import static dev.shoal.gateway.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.platform.compat.pagure.PagureErrors;
import dev.shoal.gateway.route.Access;
import dev.shoal.gateway.route.AuthKind;
import dev.shoal.gateway.route.Route;
import dev.shoal.gateway.route.RouteTable;
import dev.shoal.platform.identity.Scope;
import dev.shoal.platform.outbox.Outbox;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every route of the table against every kind of caller, on a public and a private repository.
 * The expected answer is derived from the route's declared policy, so a route cannot be added
 * without one, and a policy the gateway does not enforce fails here.
 */
@QuarkusTest
@GatewayTestResources
class ScopeMatrixTest {

    record Who(String name, String token, Scope scope, String role, boolean siteAdmin) {
    }

    record Outcome(int status, String code) {
        static final Outcome ALLOW = new Outcome(0, null);
    }

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
        callers = List.of(
                new Who("anonymous", null, null, "none", false),
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
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Route route : RouteTable.load().routes()) {
            boolean hasRepo = namesRepo(route);
            for (boolean isPrivate : hasRepo ? List.of(false, true) : List.of(false)) {
                for (Who who : callers) {
                    String path = path(route, isPrivate);
                    Outcome expected = expected(route, who, isPrivate);
                    Response response = send(route, who, path);
                    checked++;
                    String problem = check(route, who, isPrivate, expected, response);
                    if (problem != null) {
                        failures.add(route + " as " + who.name() + (hasRepo ? (isPrivate ? " (private)" : " (public)") : "")
                                + ": " + problem);
                    }
                }
            }
        }
        assertThat(failures).as("checked %d route × caller pairs", checked).isEmpty();
        assertThat(checked).isGreaterThan(RouteTable.load().routes().size() * callers.size());
    }

    private static Outcome expected(Route route, Who who, boolean isPrivate) {
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

    private static String check(Route route, Who who, boolean isPrivate, Outcome expected, Response response) {
        int status = response.statusCode();
        // Pagure-dialect routes answer refusals as {"error": message, "error_code": "E…"}.
        boolean pagure = PagureErrors.isPagurePath(route.pattern().text());
        String code = status < 400 ? null : pagure ? response.path("error_code") : response.path("error.code");
        if (expected != Outcome.ALLOW) {
            String expectedCode = pagure ? pagureCode(route, expected) : expected.code();
            return status == expected.status() && expectedCode.equals(code) ? null
                    : "expected " + expected.status() + " " + expected.code() + ", got " + status + " " + code;
        }
        if (!route.service().equals("gateway")) {
            if (route.service().equals("webhook")) {
                return status == 503 ? null : "expected forwarding (503 from the stopped webhook service), got " + status + " " + code;
            }
            if (status != 200) {
                return "expected forwarding, got " + status + " " + code + " " + response.asString();
            }
            Map<String, Object> claims = response.path("echo.claims");
            String kind = route.auth() == AuthKind.AGENT ? "agent" : who.token() == null ? "anonymous" : "user";
            if (!kind.equals(claims.get("kind"))) {
                return "internal JWT kind " + claims.get("kind") + ", expected " + kind;
            }
            if (route.pattern().hasParam("org_id") && ((Number) claims.get("org_id")).longValue() != orgId) {
                return "internal JWT org_id " + claims.get("org_id") + ", expected " + orgId;
            }
            if (namesRepo(route)) {
                long repoId = ((Number) claims.get("repo_id")).longValue();
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
        String message = status != 404 ? "" : pagure ? response.path("error") : response.path("error.message");
        return message != null && (message.startsWith("repository") || message.startsWith("organization"))
                ? "refused as not found: " + message : null;
    }

    private static Response send(Route route, Who who, String path) {
        var spec = as(who.token());
        if (!route.method().equals("GET") && !route.method().equals("DELETE")) {
            spec = spec.body("{}");
        }
        return spec.request(route.method(), path);
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
                .replaceAll("\\{[a-z_]+\\}", "999999999");
    }
}
