package dev.shoal.web;

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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code /user/settings}: tokens and sessions (create, revoke) and the password. Its own class, so
 * the literal path is matched before a repository's {@code /{org}/{repo}}.
 */
@Path("/user/settings")
@Produces(MediaType.TEXT_HTML)
public class SettingsPages {

    private final Api api;
    private final Csrf csrf;
    private final URI publicUrl;
    private final Template settings;

    public SettingsPages(Api api, Csrf csrf, @ConfigProperty(name = "shoal.public-url") URI publicUrl,
                         @Location("settings.html") Template settings) {
        this.api = api;
        this.csrf = csrf;
        this.publicUrl = publicUrl;
        this.settings = settings;
    }


    @GET
    public Response settingsPage(@Context HttpHeaders headers) {
        Visitor v = Pages.visitor(api, csrf, headers);
        if (!v.signedIn()) {
            return Pages.redirect("/login");
        }
        return Response.ok(settingsView(v, null, null).render()).build();
    }

    private TemplateInstance settingsView(Visitor v, Map<String, Object> created, String problem) {
        List<Map<String, Object>> tokens = new ArrayList<>();
        for (Map<String, Object> t : api.get("/api/v1/user/tokens?per_page=100", v.token()).list()) {
            Map<String, Object> row = new LinkedHashMap<>(t);
            row.put("current", t.get("id") instanceof Number n && n.longValue() == v.session().tokenId());
            tokens.add(row);
        }
        return settings.data("v", v).data("tokens", tokens).data("created", created).data("problem", problem)
                .data("current", v.session().tokenId());
    }

    @POST
    @Path("tokens")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response createToken(@FormParam("name") String name, @FormParam("scope") List<String> scopes,
                                @FormParam(Csrf.FIELD) String presented, @Context HttpHeaders headers) {
        Visitor v = Pages.requireSignedIn(Pages.visitor(api, csrf, headers));
        Pages.checkCsrf(csrf, v, presented);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name == null ? "" : name);
        body.put("scopes", scopes == null ? List.of() : scopes);
        Api.Answer answer = api.send(HttpMethod.POST, "/api/v1/user/tokens", v.token(), body);
        if (!answer.ok()) {
            return Response.status(400).entity(settingsView(v, null, "The token was not created: " + answer.message()).render()).build();
        }
        // shown once, on this answer only; never in a URL
        return Response.ok(settingsView(v, answer.data(), null).render()).build();
    }

    @POST
    @Path("tokens/{id}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revokeToken(@PathParam("id") String id, @FormParam(Csrf.FIELD) String presented, @Context HttpHeaders headers) {
        Visitor v = Pages.requireSignedIn(Pages.visitor(api, csrf, headers));
        Pages.checkCsrf(csrf, v, presented);
        if (!id.matches("[0-9]{1,18}")) {
            throw WebException.notFound();
        }
        Api.Answer answer = api.send(HttpMethod.DELETE, "/api/v1/user/tokens/" + id, v.token(), null);
        if (!answer.ok()) {
            throw new WebException(answer.status() == 404 ? 404 : 400, "The token was not revoked: " + answer.message());
        }
        if (Long.parseLong(id) == v.session().tokenId()) {
            return Pages.seeOther("/login").cookie(Session.cleared(publicUrl)).build();
        }
        return Pages.redirect("/user/settings");
    }

    @POST
    @Path("password")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response changePassword(@FormParam("current_password") String current, @FormParam("new_password") String next,
                                   @FormParam(Csrf.FIELD) String presented, @Context HttpHeaders headers) {
        Visitor v = Pages.requireSignedIn(Pages.visitor(api, csrf, headers));
        Pages.checkCsrf(csrf, v, presented);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("current_password", current);
        body.put("new_password", next);
        Api.Answer answer = api.send(HttpMethod.PUT, "/api/v1/user/password", v.token(), body);
        String problem = answer.ok() ? null : "The password was not changed: " + answer.message();
        return Response.status(answer.ok() ? 200 : 400)
                .entity(settingsView(v, null, problem).data("changed", answer.ok()).render()).build();
    }
}
