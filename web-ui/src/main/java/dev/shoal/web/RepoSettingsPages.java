package dev.shoal.web;

import static dev.shoal.web.Pages.checkCsrf;
import static dev.shoal.web.Pages.enc;
import static dev.shoal.web.Pages.redirect;
import static dev.shoal.web.Pages.refusal;
import static dev.shoal.web.Pages.repository;
import static dev.shoal.web.Pages.repoApi;
import static dev.shoal.web.Pages.requireSignedIn;
import static dev.shoal.web.Pages.visitor;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code /{org}/{repo}/settings}: the repository's webhooks with their recent deliveries (and
 * redeliver), its CI secrets (names only: values are never shown) and who may work on it (the
 * organization's members; owners manage them on the organization's page). The API lets only the
 * organization's owners read these, so everyone else gets the page the API's refusal calls for.
 */
@Path("/{org}/{repo}/settings")
@Produces(MediaType.TEXT_HTML)
public class RepoSettingsPages {

    private static final String ID = "[0-9]{1,18}";
    private static final Pattern SECRET_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}");
    private static final List<String> HOOK_EVENTS = List.of("push", "issue", "pull_request", "pipeline", "release", "tag");

    private final Api api;
    private final Csrf csrf;
    private final Template settings;

    public RepoSettingsPages(Api api, Csrf csrf, @Location("repo-settings.html") Template settings) {
        this.api = api;
        this.csrf = csrf;
        this.settings = settings;
    }

    @GET
    public Response show(@PathParam("org") String org, @PathParam("repo") String repo, @Context HttpHeaders headers) {
        Visitor v = visitor(api, csrf, headers);
        if (!v.signedIn()) {
            // the same answer as for a repository that does not exist: settings are never public
            repository(api, v, org, repo);
            throw WebException.notFound();
        }
        return Response.ok(render(v, org, repo, null, null)).build();
    }

    private String render(Visitor v, String org, String repo, String problem, String notice) {
        Map<String, Object> r = repository(api, v, org, repo);
        Api.Answer hooks = api.get(repoApi(org, repo) + "/webhooks", v.token());
        if (hooks.status() == 403 || hooks.status() == 404) {
            throw new WebException(hooks.status() == 403 ? 403 : 404,
                    "Only the owners of " + org + " can change the settings of its repositories.");
        }
        if (!hooks.ok()) {
            throw refusal(hooks, "The webhooks could not be read");
        }
        List<Map<String, Object>> withDeliveries = new ArrayList<>();
        for (Map<String, Object> hook : hooks.list()) {
            Map<String, Object> row = new LinkedHashMap<>(hook);
            Api.Answer deliveries = api.get(repoApi(org, repo) + "/webhooks/" + hook.get("id") + "/deliveries", v.token());
            row.put("deliveries", deliveries.ok() ? deliveries.list() : List.of());
            withDeliveries.add(row);
        }
        Api.Answer secrets = api.get(repoApi(org, repo) + "/secrets", v.token());
        Api.Answer members = api.get("/api/v1/orgs/" + enc(org) + "/members?per_page=100", v.token());
        return settings.data("v", v).data("org", org).data("repo", r).data("hooks", withDeliveries)
                .data("events", HOOK_EVENTS).data("secrets", secrets.list()).data("members", members.list())
                .data("problem", problem).data("notice", notice).data("tab", "settings").render();
    }

    /** A refused form shows the page again with the API's words, so nothing typed is a mystery. */
    private Response again(Visitor v, String org, String repo, Api.Answer answer, String what) {
        if (answer.status() == 404 || answer.status() == 401 || answer.status() >= 500) {
            throw refusal(answer, what);
        }
        return Response.status(answer.status() == 403 ? 403 : answer.status() == 409 ? 409 : 400)
                .entity(render(v, org, repo, what + ": " + answer.message(), null)).build();
    }

    private Visitor signedInWithCsrf(HttpHeaders headers, String presented) {
        Visitor v = requireSignedIn(visitor(api, csrf, headers));
        checkCsrf(csrf, v, presented);
        return v;
    }

    private static String settingsPath(String org, String repo) {
        return "/" + enc(org) + "/" + enc(repo) + "/settings";
    }

    @POST
    @Path("/hooks")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response createHook(@PathParam("org") String org, @PathParam("repo") String repo, @FormParam("url") String url,
                               @FormParam("secret") String secret, @FormParam("event") List<String> events,
                               @FormParam(Csrf.FIELD) String presented, @Context HttpHeaders headers) {
        Visitor v = signedInWithCsrf(headers, presented);
        repository(api, v, org, repo);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("url", url == null ? "" : url.strip());
        body.put("secret", secret == null ? "" : secret);
        if (events != null && !events.isEmpty()) {
            body.put("events", events);
        }
        Api.Answer created = api.send(HttpMethod.POST, repoApi(org, repo) + "/webhooks", v.token(), body);
        if (!created.ok()) {
            return again(v, org, repo, created, "The webhook was not added");
        }
        return redirect(settingsPath(org, repo) + "#hook-" + created.data().get("id"));
    }

    @POST
    @Path("/hooks/{id}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response deleteHook(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("id") String id,
                               @FormParam(Csrf.FIELD) String presented, @Context HttpHeaders headers) {
        Visitor v = signedInWithCsrf(headers, presented);
        repository(api, v, org, repo);
        if (!id.matches(ID)) {
            throw WebException.notFound();
        }
        Api.Answer deleted = api.send(HttpMethod.DELETE, repoApi(org, repo) + "/webhooks/" + id, v.token(), null);
        if (!deleted.ok()) {
            return again(v, org, repo, deleted, "The webhook was not deleted");
        }
        return redirect(settingsPath(org, repo) + "#webhooks");
    }

    @POST
    @Path("/hooks/{id}/deliveries/{delivery}/redeliver")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response redeliver(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("id") String id,
                              @PathParam("delivery") String delivery, @FormParam(Csrf.FIELD) String presented,
                              @Context HttpHeaders headers) {
        Visitor v = signedInWithCsrf(headers, presented);
        repository(api, v, org, repo);
        if (!id.matches(ID) || !delivery.matches(ID)) {
            throw WebException.notFound();
        }
        Api.Answer sent = api.send(HttpMethod.POST, repoApi(org, repo) + "/webhooks/" + id + "/deliveries/" + delivery + "/redeliver",
                v.token(), null);
        if (!sent.ok()) {
            return again(v, org, repo, sent, "The delivery was not sent again");
        }
        return Response.ok(render(v, org, repo, null, "Delivery " + delivery + " is being sent again.")).build();
    }

    @POST
    @Path("/secrets")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response createSecret(@PathParam("org") String org, @PathParam("repo") String repo, @FormParam("name") String name,
                                 @FormParam("value") String value, @FormParam(Csrf.FIELD) String presented,
                                 @Context HttpHeaders headers) {
        Visitor v = signedInWithCsrf(headers, presented);
        repository(api, v, org, repo);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name == null ? "" : name.strip());
        body.put("value", value == null ? "" : value);
        Api.Answer created = api.send(HttpMethod.POST, repoApi(org, repo) + "/secrets", v.token(), body);
        if (!created.ok()) {
            return again(v, org, repo, created, "The secret was not added");
        }
        // the value goes no further than the API: the page shows names only
        return redirect(settingsPath(org, repo) + "#secrets");
    }

    @POST
    @Path("/secrets/{name}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response deleteSecret(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("name") String name,
                                 @FormParam(Csrf.FIELD) String presented, @Context HttpHeaders headers) {
        Visitor v = signedInWithCsrf(headers, presented);
        repository(api, v, org, repo);
        if (!SECRET_NAME.matcher(name).matches()) {
            throw WebException.notFound();
        }
        Api.Answer deleted = api.send(HttpMethod.DELETE, repoApi(org, repo) + "/secrets/" + enc(name), v.token(), null);
        if (!deleted.ok()) {
            return again(v, org, repo, deleted, "The secret was not deleted");
        }
        return redirect(settingsPath(org, repo) + "#secrets");
    }
}
