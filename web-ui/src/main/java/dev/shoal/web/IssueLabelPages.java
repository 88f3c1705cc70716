package dev.shoal.web;

import static dev.shoal.web.Pages.checkCsrf;
import static dev.shoal.web.Pages.enc;
import static dev.shoal.web.Pages.redirect;
import static dev.shoal.web.Pages.refusal;
import static dev.shoal.web.Pages.repository;
import static dev.shoal.web.Pages.repoApi;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An issue's labels from its page: add one by name (a name the repository has no label for yet makes
 * that label first) and remove one. The API lets the organization's members do both.
 */
@Path("/{org}/{repo}/issues/{number}/labels")
@Produces(MediaType.TEXT_HTML)
public class IssueLabelPages {

    /** The colour of a label made from an issue's page; its own settings can change it later. */
    static final String NEW_LABEL_COLOR = "#8c959f";

    private final Api api;
    private final Csrf csrf;

    public IssueLabelPages(Api api, Csrf csrf) {
        this.api = api;
        this.csrf = csrf;
    }

    private Visitor checked(HttpHeaders headers, String presented, String org, String repo, String number) {
        Visitor v = requireSignedIn(visitor(api, csrf, headers));
        checkCsrf(csrf, v, presented);
        repository(api, v, org, repo);
        if (!number.matches("[0-9]{1,18}")) {
            throw WebException.notFound();
        }
        return v;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response add(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("number") String number,
                        @FormParam("label") String label, @FormParam(Csrf.FIELD) String presented, @Context HttpHeaders headers) {
        Visitor v = checked(headers, presented, org, repo, number);
        String name = label == null ? "" : label.strip();
        if (name.isEmpty()) {
            throw new WebException(400, "Name the label to add.");
        }
        boolean known = api.get(repoApi(org, repo) + "/labels?per_page=100", v.token()).list().stream()
                .anyMatch(l -> name.equals(l.get("name")));
        if (!known) {
            Map<String, Object> made = new LinkedHashMap<>();
            made.put("name", name);
            made.put("color", NEW_LABEL_COLOR);
            Api.Answer created = api.send(HttpMethod.POST, repoApi(org, repo) + "/labels", v.token(), made);
            if (!created.ok()) {
                throw refusal(created, "The label was not made");
            }
        }
        Api.Answer added = api.send(HttpMethod.POST, repoApi(org, repo) + "/issues/" + number + "/labels", v.token(),
                Map.of("labels", List.of(name)));
        if (!added.ok()) {
            throw refusal(added, "The label was not added");
        }
        return redirect("/" + enc(org) + "/" + enc(repo) + "/issues/" + number + "#labels");
    }

    @POST
    @Path("/{label}/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response remove(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("number") String number,
                           @PathParam("label") String label, @FormParam(Csrf.FIELD) String presented, @Context HttpHeaders headers) {
        Visitor v = checked(headers, presented, org, repo, number);
        if (!label.matches("[0-9]{1,18}")) {
            throw WebException.notFound();
        }
        Api.Answer removed = api.send(HttpMethod.DELETE, repoApi(org, repo) + "/issues/" + number + "/labels/" + label, v.token(), null);
        if (!removed.ok()) {
            throw refusal(removed, "The label was not removed");
        }
        return redirect("/" + enc(org) + "/" + enc(repo) + "/issues/" + number + "#labels");
    }
}
