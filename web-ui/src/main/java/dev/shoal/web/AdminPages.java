package dev.shoal.web;

import static dev.shoal.web.Pages.checkCsrf;
import static dev.shoal.web.Pages.enc;
import static dev.shoal.web.Pages.page;
import static dev.shoal.web.Pages.paging;
import static dev.shoal.web.Pages.redirect;
import static dev.shoal.web.Pages.refusal;
import static dev.shoal.web.Pages.visitor;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.HttpMethod;
import jakarta.ws.rs.Consumes;
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
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /admin}: the site's users (create with a password, deactivate and activate, set a password)
 * and CI agents (register, the token shown once; delete). Site administrators only: anyone else,
 * signed in or not, gets the 404 page, as for a page that does not exist.
 */
@Path("/admin")
@Produces(MediaType.TEXT_HTML)
public class AdminPages {

    private static final int PER_PAGE = 100;

    private final Api api;
    private final Csrf csrf;
    private final Template admin;

    public AdminPages(Api api, Csrf csrf, @Location("admin.html") Template admin) {
        this.api = api;
        this.csrf = csrf;
        this.admin = admin;
    }

    /** The visitor when a site administrator, else the 404 page (never a hint that the page exists). */
    private Visitor administrator(HttpHeaders headers) {
        Visitor v = visitor(api, csrf, headers);
        if (!v.admin()) {
            throw WebException.notFound();
        }
        return v;
    }

    private Visitor administratorWithCsrf(HttpHeaders headers, String presented) {
        Visitor v = administrator(headers);
        checkCsrf(csrf, v, presented);
        return v;
    }

    @GET
    public Response show(@QueryParam("page") String page, @Context HttpHeaders headers) {
        Visitor v = administrator(headers);
        return Response.ok(view(v, page(page)).render()).build();
    }

    private TemplateInstance view(Visitor v, int page) {
        Api.Answer users = api.get("/api/v1/admin/users?page=" + page + "&per_page=" + PER_PAGE, v.token());
        if (!users.ok()) {
            throw refusal(users, "The users could not be read");
        }
        Api.Answer agents = api.get("/api/v1/admin/agents?per_page=100", v.token());
        return admin.data("v", v).data("users", users.list()).data("agents", agents.list())
                .data("paging", paging(page, users.total(), PER_PAGE)).data("pagerBase", "/admin?")
                .data("problem", null).data("notice", null).data("agent", null);
    }

    private Response again(Visitor v, Api.Answer answer, String what) {
        if (answer.status() >= 500) {
            throw refusal(answer, what);
        }
        return Response.status(answer.status() == 404 ? 404 : answer.status() == 409 ? 409 : 400)
                .entity(view(v, 1).data("problem", what + ": " + answer.message()).render()).build();
    }

    private static String username(String raw) {
        if (raw == null || !Pages.NAME.matcher(raw).matches()) {
            throw WebException.notFound();
        }
        return raw;
    }

    @POST
    @Path("/users")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response createUser(@FormParam("username") String username, @FormParam("email") String email,
                               @FormParam("password") String password, @FormParam("is_admin") String isAdmin,
                               @FormParam(Csrf.FIELD) String presented, @Context HttpHeaders headers) {
        Visitor v = administratorWithCsrf(headers, presented);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", username == null ? "" : username.strip());
        body.put("email", email == null ? "" : email.strip());
        body.put("is_admin", isAdmin != null);
        Api.Answer created = api.send(HttpMethod.POST, "/api/v1/admin/users", v.token(), body);
        if (!created.ok()) {
            return again(v, created, "The user was not created");
        }
        String name = String.valueOf(created.data().get("username"));
        if (password != null && !password.isEmpty()) {
            Api.Answer set = api.send(HttpMethod.PUT, "/api/v1/admin/users/" + enc(name) + "/password", v.token(),
                    Map.of("password", password));
            if (!set.ok()) {
                return again(v, set, "The user " + name + " was created, but the password was not set");
            }
        }
        return redirect("/admin#user-" + enc(name));
    }

    @POST
    @Path("/users/{username}/active")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response setActive(@PathParam("username") String username, @FormParam("active") String active,
                              @FormParam(Csrf.FIELD) String presented, @Context HttpHeaders headers) {
        Visitor v = administratorWithCsrf(headers, presented);
        String name = username(username);
        if (!"true".equals(active) && !"false".equals(active)) {
            throw new WebException(400, "Choose to activate or to deactivate the account.");
        }
        Api.Answer changed = api.send(HttpMethod.PATCH, "/api/v1/admin/users/" + enc(name), v.token(),
                Map.of("is_active", Boolean.parseBoolean(active)));
        if (!changed.ok()) {
            return again(v, changed, "The account was not changed");
        }
        return redirect("/admin#user-" + enc(name));
    }

    @POST
    @Path("/users/{username}/password")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response setPassword(@PathParam("username") String username, @FormParam("password") String password,
                                @FormParam(Csrf.FIELD) String presented, @Context HttpHeaders headers) {
        Visitor v = administratorWithCsrf(headers, presented);
        String name = username(username);
        Api.Answer set = api.send(HttpMethod.PUT, "/api/v1/admin/users/" + enc(name) + "/password", v.token(),
                Map.of("password", password == null ? "" : password));
        if (!set.ok()) {
            return again(v, set, "The password was not set");
        }
        return Response.ok(view(v, 1).data("notice", "The password of " + name + " was set.").render()).build();
    }

    @POST
    @Path("/agents")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response registerAgent(@FormParam("name") String name, @FormParam("labels") String labels,
                                  @FormParam("platform") String platform, @FormParam(Csrf.FIELD) String presented,
                                  @Context HttpHeaders headers) {
        Visitor v = administratorWithCsrf(headers, presented);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name == null ? "" : name.strip());
        Map<String, String> parsed = labels(labels);
        if (parsed == null) {
            return Response.status(400).entity(view(v, 1)
                    .data("problem", "Labels are key=value pairs separated by commas, such as os=linux,size=large.").render()).build();
        }
        body.put("labels", parsed);
        if (platform != null && !platform.isBlank()) {
            body.put("platform", platform.strip());
        }
        Api.Answer registered = api.send(HttpMethod.POST, "/api/v1/admin/agents", v.token(), body);
        if (!registered.ok()) {
            return again(v, registered, "The agent was not registered");
        }
        // its token is shown on this answer only, never in a URL; the API keeps a hash
        return Response.ok(view(v, 1).data("agent", registered.data()).render()).build();
    }

    /** {@code os=linux, size=large} as a map; null when a pair has no {@code =} or an empty key. */
    static Map<String, String> labels(String raw) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (raw == null || raw.isBlank()) {
            return labels;
        }
        for (String pair : raw.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0 || pair.substring(0, eq).isBlank()) {
                return null;
            }
            labels.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
        return labels;
    }

    @POST
    @Path("/agents/{id}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response deleteAgent(@PathParam("id") String id, @FormParam(Csrf.FIELD) String presented, @Context HttpHeaders headers) {
        Visitor v = administratorWithCsrf(headers, presented);
        if (!id.matches("[0-9]{1,18}")) {
            throw WebException.notFound();
        }
        Api.Answer deleted = api.send(HttpMethod.DELETE, "/api/v1/admin/agents/" + id, v.token(), null);
        if (!deleted.ok()) {
            return again(v, deleted, "The agent was not deleted");
        }
        return redirect("/admin#agents");
    }
}
