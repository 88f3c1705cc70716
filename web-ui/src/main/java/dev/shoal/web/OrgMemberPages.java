package dev.shoal.web;

import static dev.shoal.web.Pages.checkCsrf;
import static dev.shoal.web.Pages.enc;
import static dev.shoal.web.Pages.redirect;
import static dev.shoal.web.Pages.refusal;
import static dev.shoal.web.Pages.requireSignedIn;
import static dev.shoal.web.Pages.visitor;

import io.vertx.core.http.HttpMethod;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.Set;

/**
 * The organization page's member forms: add a member or change their role, and remove one; the API
 * lets owners only. Under {@code /{org}/-/members}, which no repository name can take.
 */
@Path("/{org}/-/members")
@Produces(MediaType.TEXT_HTML)
public class OrgMemberPages {

    private static final Set<String> ROLES = Set.of("owner", "member");

    private final Api api;
    private final Csrf csrf;

    public OrgMemberPages(Api api, Csrf csrf) {
        this.api = api;
        this.csrf = csrf;
    }

    private Visitor checked(HttpHeaders headers, String presented, String org) {
        Visitor v = requireSignedIn(visitor(api, csrf, headers));
        checkCsrf(csrf, v, presented);
        if (!Pages.NAME.matcher(org).matches()) {
            throw WebException.notFound();
        }
        return v;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response put(@PathParam("org") String org, @FormParam("username") String username, @FormParam("role") String role,
                        @FormParam(Csrf.FIELD) String presented, @Context HttpHeaders headers) {
        Visitor v = checked(headers, presented, org);
        String name = username == null ? "" : username.strip();
        if (!Pages.NAME.matcher(name).matches()) {
            throw new WebException(400, "Name the user to add, such as ada.");
        }
        String r = role != null && ROLES.contains(role) ? role : "member";
        Api.Answer put = api.send(HttpMethod.PUT, "/api/v1/orgs/" + enc(org) + "/members/" + enc(name), v.token(), Map.of("role", r));
        if (!put.ok()) {
            throw refusal(put, "The member was not added");
        }
        return redirect("/" + enc(org) + "#members");
    }

    @POST
    @Path("/{username}/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response remove(@PathParam("org") String org, @PathParam("username") String username,
                           @FormParam(Csrf.FIELD) String presented, @Context HttpHeaders headers) {
        Visitor v = checked(headers, presented, org);
        if (!Pages.NAME.matcher(username).matches()) {
            throw WebException.notFound();
        }
        Api.Answer removed = api.send(HttpMethod.DELETE, "/api/v1/orgs/" + enc(org) + "/members/" + enc(username), v.token(), null);
        if (!removed.ok()) {
            throw refusal(removed, "The member was not removed");
        }
        return redirect("/" + enc(org) + "#members");
    }
}
