package dev.shoal.web;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.HttpMethod;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sign-in, the dashboard and settings. Pages about one repository are in {@link RepoPages}.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class Pages {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final Api api;
    private final Csrf csrf;
    private final URI publicUrl;
    private final Template login;
    private final Template dashboard;
    private final Template org;

    public Pages(Api api, Csrf csrf, @ConfigProperty(name = "shoal.public-url") URI publicUrl,
                 @Location("login.html") Template login, @Location("dashboard.html") Template dashboard,
                 @Location("org.html") Template org) {
        this.api = api;
        this.csrf = csrf;
        this.publicUrl = publicUrl;
        this.login = login;
        this.dashboard = dashboard;
        this.org = org;
    }

    /** The visitor of this request; a session the gateway no longer accepts counts as signed out. */
    static Visitor visitor(Api api, Csrf csrf, HttpHeaders headers) {
        Session session = Session.from(headers);
        if (session == null) {
            return new Visitor(null, null, null);
        }
        Api.Answer me = api.get("/api/v1/user", session.token());
        if (me.status() == 401) {
            return new Visitor(null, null, null);
        }
        if (!me.ok()) {
            throw new WebException(me.status() >= 500 ? 503 : me.status(), "Shoal could not tell who you are: " + me.message());
        }
        return new Visitor(session, me.data(), csrf.tokenFor(session.token()));
    }

    static Visitor requireSignedIn(Visitor v) {
        if (!v.signedIn()) {
            throw new WebException(401, "sign in first");
        }
        return v;
    }

    /** Every changing form is refused without the CSRF token of the visitor's session. */
    static void checkCsrf(Csrf csrf, Visitor v, String presented) {
        if (!v.signedIn() || !csrf.valid(v.token(), presented)) {
            throw new WebException(403, "This form was not sent from a page of this site, or it has expired. Reload the page and try again.");
        }
    }

    /** The repository as the visitor may see it, or the 404 page (the same for one that does not exist). */
    static Map<String, Object> repository(Api api, Visitor v, String org, String repo) {
        if (!NAME.matcher(org).matches() || !NAME.matcher(repo).matches()) {
            throw WebException.notFound();
        }
        Api.Answer answer = api.get(repoApi(org, repo), v.token());
        if (answer.status() == 404 || answer.status() == 403 || answer.status() == 400) {
            throw WebException.notFound();
        }
        if (!answer.ok()) {
            throw new WebException(503, "The repository could not be read right now: " + answer.message());
        }
        return answer.data();
    }

    /** Adds a comment to issue or pull request {@code number} ({@code kind} "issues" or "pulls") and shows it. */
    static Response comment(Api api, Csrf csrf, HttpHeaders headers, String org, String repo, String kind, String number,
                            String body, String presented) {
        Visitor v = requireSignedIn(visitor(api, csrf, headers));
        checkCsrf(csrf, v, presented);
        repository(api, v, org, repo);
        if (!number.matches("[0-9]{1,18}")) {
            throw WebException.notFound();
        }
        Api.Answer answer = api.send(HttpMethod.POST, repoApi(org, repo) + "/" + kind + "/" + number + "/comments", v.token(),
                Map.of("body", body == null ? "" : body));
        if (!answer.ok()) {
            throw new WebException(answer.status() == 404 ? 404 : answer.status() >= 500 ? 503 : 400,
                    "The comment was not added: " + answer.message());
        }
        return redirect("/" + enc(org) + "/" + enc(repo) + "/" + kind + "/" + number + "#comment-" + answer.data().get("id"));
    }

    /**
     * The page for an API refusal of an action: not found and not allowed keep their status (a page
     * never tells more than the API did), a conflict stays 409, an API failure is 503, the rest 400.
     */
    static WebException refusal(Api.Answer answer, String what) {
        int status = switch (answer.status()) {
            case 401, 404 -> 404;
            case 403, 409, 413, 429 -> answer.status();
            default -> answer.status() >= 500 ? 503 : 400;
        };
        return status == 404 ? WebException.notFound() : new WebException(status, what + ": " + answer.message());
    }

    /** The API path of a repository, whose pages all start from it. */
    static String repoApi(String org, String repo) {
        return "/api/v1/repos/" + enc(org) + "/" + enc(repo);
    }

    /** The page a {@code ?page=} asks for; anything but a positive number is the first page. */
    static int page(String raw) {
        if (raw == null || !raw.matches("[0-9]{1,6}") || Integer.parseInt(raw) < 1) {
            return 1;
        }
        return Integer.parseInt(raw);
    }

    /** What a list page's pager shows: this page, how many there are, and the neighbours that exist. */
    static Map<String, Object> paging(int page, long total, int perPage) {
        long pages = Math.max(1, (total + perPage - 1) / perPage);
        Map<String, Object> paging = new LinkedHashMap<>();
        paging.put("page", page);
        paging.put("pages", pages);
        paging.put("total", total);
        paging.put("prev", page > 1 ? page - 1 : null);
        paging.put("next", page < pages ? page + 1 : null);
        return paging;
    }

    static String enc(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static Response redirect(String location) {
        return seeOther(location).build();
    }

    /**
     * A 303 to a path of this site, left relative: web-ui sits behind the gateway, and an absolute
     * Location built from its own request would name web-ui's address instead of the one people use.
     */
    static Response.ResponseBuilder seeOther(String path) {
        return Response.status(303).header("Location", path);
    }

    // --- sign in / out ----------------------------------------------------------------------------

    @GET
    @Path("login")
    public Response loginPage(@Context HttpHeaders headers) {
        var cookie = headers.getCookies().get(Csrf.LOGIN_COOKIE);
        String value = cookie != null && cookie.getValue().length() >= 20 ? cookie.getValue() : Csrf.randomValue();
        return Response.ok(loginForm(value, null, null))
                .cookie(new jakarta.ws.rs.core.NewCookie.Builder(Csrf.LOGIN_COOKIE).value(value).path("/login").httpOnly(true)
                        .secure("https".equalsIgnoreCase(publicUrl.getScheme())).sameSite(jakarta.ws.rs.core.NewCookie.SameSite.LAX)
                        .build())
                .build();
    }

    private String loginForm(String loginCookie, String username, String problem) {
        return login.data("v", new Visitor(null, null, null)).data("csrf", csrf.tokenFor("login:" + loginCookie))
                .data("username", username).data("problem", problem).render();
    }

    @POST
    @Path("login")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signIn(@FormParam("username") String username, @FormParam("password") String password,
                           @FormParam(Csrf.FIELD) String presented, @Context HttpHeaders headers,
                           @jakarta.ws.rs.HeaderParam("X-Forwarded-For") String forwardedFor) {
        var cookie = headers.getCookies().get(Csrf.LOGIN_COOKIE);
        if (cookie == null || !csrf.valid("login:" + cookie.getValue(), presented)) {
            throw new WebException(403, "This form was not sent from a page of this site, or it has expired. Reload the page and try again.");
        }
        Map<String, String> forward = forwardedFor == null ? Map.of() : Map.of("X-Forwarded-For", forwardedFor);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", username == null ? "" : username);
        body.put("password", password == null ? "" : password);
        Api.Answer answer = api.send(HttpMethod.POST, "/api/v1/login", null, body, forward);
        if (!answer.ok()) {
            String problem = answer.status() == 401 ? "Wrong username or password." : answer.message();
            return Response.status(answer.status() == 429 ? 429 : answer.status() >= 500 ? 503 : 400)
                    .type(MediaType.TEXT_HTML_TYPE).entity(loginForm(cookie.getValue(), username, problem)).build();
        }
        Map<String, Object> session = answer.data();
        String value = ((Number) session.get("id")).longValue() + "." + session.get("token");
        return Pages.seeOther("/")
                .cookie(Session.cookie(value, publicUrl, (int) java.time.Duration.ofHours(12).toSeconds())).build();
    }

    @POST
    @Path("logout")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signOut(@FormParam(Csrf.FIELD) String presented, @Context HttpHeaders headers) {
        Visitor v = visitor(api, csrf, headers);
        if (v.signedIn()) {
            checkCsrf(csrf, v, presented);
            api.send(HttpMethod.DELETE, "/api/v1/user/tokens/" + v.session().tokenId(), v.token(), null);
        }
        return Pages.seeOther("/login").cookie(Session.cleared(publicUrl)).build();
    }

    // --- dashboard ----------------------------------------------------------------------------------

    @GET
    public Response home(@Context HttpHeaders headers) {
        Visitor v = visitor(api, csrf, headers);
        if (!v.signedIn()) {
            return redirect("/login");
        }
        List<Map<String, Object>> orgs = new ArrayList<>();
        for (Map<String, Object> o : api.get("/api/orgs", v.token()).listOrBody()) {
            String name = String.valueOf(o.get("name"));
            Api.Answer repos = api.get("/api/v1/orgs/" + enc(name) + "/repos?per_page=100", v.token());
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", name);
            entry.put("repos", repos.list());
            orgs.add(entry);
        }
        return Response.ok(dashboard.data("v", v).data("orgs", orgs).data("problem", null).render()).build();
    }

    @POST
    @Path("org/new")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response createOrg(@FormParam("name") String name, @FormParam(Csrf.FIELD) String presented, @Context HttpHeaders headers) {
        Visitor v = requireSignedIn(visitor(api, csrf, headers));
        checkCsrf(csrf, v, presented);
        Api.Answer answer = api.send(HttpMethod.POST, "/api/v1/orgs", v.token(), Map.of("name", name == null ? "" : name.strip()));
        if (!answer.ok()) {
            throw new WebException(answer.status() >= 500 ? 503 : 400, "The organization was not created: " + answer.message());
        }
        return redirect("/" + enc(name.strip()));
    }

    @POST
    @Path("repo/new")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response createRepo(@FormParam("org") String orgName, @FormParam("name") String name,
                               @FormParam("description") String description, @FormParam("private") String isPrivate,
                               @FormParam(Csrf.FIELD) String presented, @Context HttpHeaders headers) {
        Visitor v = requireSignedIn(visitor(api, csrf, headers));
        checkCsrf(csrf, v, presented);
        if (orgName == null || !NAME.matcher(orgName).matches()) {
            throw new WebException(400, "Choose an organization for the repository.");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name == null ? "" : name.strip());
        body.put("description", description == null ? "" : description);
        body.put("is_private", isPrivate != null);
        Api.Answer answer = api.send(HttpMethod.POST, "/api/v1/orgs/" + enc(orgName) + "/repos", v.token(), body);
        if (!answer.ok()) {
            throw new WebException(answer.status() >= 500 ? 503 : 400, "The repository was not created: " + answer.message());
        }
        return redirect("/" + enc(orgName) + "/" + enc(name.strip()));
    }

    @GET
    @Path("{org}")
    public Response organization(@PathParam("org") String orgName, @Context HttpHeaders headers) {
        if (!NAME.matcher(orgName).matches()) {
            throw WebException.notFound();
        }
        Visitor v = visitor(api, csrf, headers);
        Api.Answer found = api.get("/api/v1/orgs/" + enc(orgName), v.token());
        if (!found.ok()) {
            throw WebException.notFound();
        }
        Api.Answer repos = api.get("/api/v1/orgs/" + enc(orgName) + "/repos?per_page=100", v.token());
        // members are listed to members only (the API refuses others), and owners manage them
        List<Map<String, Object>> members = v.signedIn()
                ? api.get("/api/v1/orgs/" + enc(orgName) + "/members?per_page=100", v.token()).list() : List.of();
        boolean owner = members.stream().anyMatch(m -> m.get("user") instanceof Map<?, ?> u
                && v.username().equals(String.valueOf(u.get("username"))) && "owner".equals(m.get("role")));
        return Response.ok(org.data("v", v).data("org", found.data()).data("repos", repos.list()).data("members", members)
                .data("member", !members.isEmpty()).data("owner", owner).render()).build();
    }
}
