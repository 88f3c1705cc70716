package dev.shoal.web;

import static dev.shoal.web.Pages.checkCsrf;
import static dev.shoal.web.Pages.enc;
import static dev.shoal.web.Pages.page;
import static dev.shoal.web.Pages.paging;
import static dev.shoal.web.Pages.redirect;
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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Pull requests of one repository: the list by status, one with its diff, comments and the merge form. */
@Path("/{org}/{repo}/pulls")
@Produces(MediaType.TEXT_HTML)
public class PullPages {

    private static final int PER_PAGE = 20;
    private static final Set<String> STATUSES = Set.of("open", "closed", "merged");
    private static final Set<String> METHODS = Set.of("merge", "squash", "rebase");
    /** Diffs longer than this many lines are cut, with a note: a page must stay readable. */
    private static final int MAX_DIFF_LINES = 5_000;

    private final Api api;
    private final Csrf csrf;
    private final Markdown markdown;
    private final Template pulls;
    private final Template pull;
    private final Template newPull;

    public PullPages(Api api, Csrf csrf, Markdown markdown, @Location("pulls.html") Template pulls,
                     @Location("pull.html") Template pull, @Location("pull-new.html") Template newPull) {
        this.api = api;
        this.csrf = csrf;
        this.markdown = markdown;
        this.pulls = pulls;
        this.pull = pull;
        this.newPull = newPull;
    }

    @GET
    public Response list(@PathParam("org") String org, @PathParam("repo") String repo, @QueryParam("status") String status,
                         @QueryParam("page") String page, @Context HttpHeaders headers) {
        Visitor v = visitor(api, csrf, headers);
        Map<String, Object> r = repository(api, v, org, repo);
        String s = status != null && STATUSES.contains(status) ? status : "open";
        int p = page(page);
        Api.Answer list = api.get(repoApi(org, repo) + "/pulls?status=" + s + "&page=" + p + "&per_page=" + PER_PAGE, v.token());
        if (!list.ok()) {
            throw list.status() == 404 ? WebException.notFound() : new WebException(503, "Pull requests could not be read: " + list.message());
        }
        return Response.ok(pulls.data("v", v).data("org", org).data("repo", r).data("pulls", list.list()).data("status", s)
                .data("paging", paging(p, list.total(), PER_PAGE)).data("pagerBase", "/" + enc(org) + "/" + enc(repo) + "/pulls?status=" + s + "&")
                .data("tab", "pulls").render()).build();
    }

    @GET
    @Path("/{number}")
    public Response show(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("number") String number,
                         @Context HttpHeaders headers) {
        Visitor v = visitor(api, csrf, headers);
        return Response.ok(render(v, org, repo, number, null, List.of())).build();
    }

    /** The pull request's page; {@code problem} and {@code conflicts} say why a merge did not happen. */
    private String render(Visitor v, String org, String repo, String number, String problem, List<?> conflicts) {
        Map<String, Object> r = repository(api, v, org, repo);
        if (!number.matches("[0-9]{1,18}")) {
            throw WebException.notFound();
        }
        Api.Answer found = api.get(repoApi(org, repo) + "/pulls/" + number, v.token());
        if (!found.ok()) {
            throw found.status() == 404 ? WebException.notFound() : new WebException(503, "The pull request could not be read: " + found.message());
        }
        Map<String, Object> pr = markdown.thread(found.data());
        List<Map<String, Object>> comments = markdown.comments(pr);
        Api.Answer diff = api.get(repoApi(org, repo) + "/pulls/" + number + "/diff", v.token());
        List<Map<String, String>> lines = new ArrayList<>();
        boolean cut = diff.ok() && Boolean.TRUE.equals(diff.data().get("truncated"));
        if (diff.ok() && diff.data().get("diff") != null) {
            String[] all = diff.data().get("diff").toString().split("\n", -1);
            for (int i = 0; i < all.length && i < MAX_DIFF_LINES; i++) {
                lines.add(Map.of("text", all[i], "kind", kind(all[i])));
            }
            cut |= all.length > MAX_DIFF_LINES;
        }
        return pull.data("v", v).data("org", org).data("repo", r).data("pull", pr).data("comments", comments)
                .data("diff", lines).data("cut", cut).data("open", "open".equals(pr.get("status")))
                .data("problem", problem).data("conflicts", conflicts).data("tab", "pulls").render();
    }

    @GET
    @Path("/new")
    public Response form(@PathParam("org") String org, @PathParam("repo") String repo, @QueryParam("head") String head,
                         @QueryParam("base") String base, @Context HttpHeaders headers) {
        Visitor v = visitor(api, csrf, headers);
        if (!v.signedIn()) {
            repository(api, v, org, repo);
            return redirect("/login");
        }
        return Response.ok(newForm(v, org, repo, head, base, null, null, null)).build();
    }

    private String newForm(Visitor v, String org, String repo, String head, String base, String title, String body, String problem) {
        Map<String, Object> r = repository(api, v, org, repo);
        List<String> branches = new ArrayList<>();
        for (Map<String, Object> b : api.get(repoApi(org, repo) + "/branches?per_page=100", v.token()).list()) {
            branches.add(String.valueOf(b.get("name")));
        }
        String defaultBranch = String.valueOf(r.getOrDefault("default_branch", "main"));
        String chosenBase = base != null && branches.contains(base) ? base : defaultBranch;
        String chosenHead = head != null && branches.contains(head) ? head
                : branches.stream().filter(b -> !b.equals(chosenBase)).findFirst().orElse(null);
        return newPull.data("v", v).data("org", org).data("repo", r).data("branches", branches).data("head", chosenHead)
                .data("base", chosenBase).data("title", title).data("body", body).data("problem", problem)
                .data("tab", "pulls").render();
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@PathParam("org") String org, @PathParam("repo") String repo, @FormParam("head") String head,
                           @FormParam("base") String base, @FormParam("title") String title, @FormParam("body") String body,
                           @FormParam(Csrf.FIELD) String presented, @Context HttpHeaders headers) {
        Visitor v = requireSignedIn(visitor(api, csrf, headers));
        checkCsrf(csrf, v, presented);
        repository(api, v, org, repo);
        if (head != null && head.equals(base)) {
            return Response.status(400).entity(newForm(v, org, repo, head, base, title, body,
                    "Choose two different branches: the changes of one are merged into the other.")).build();
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("title", title == null ? "" : title);
        request.put("body", body == null ? "" : body);
        request.put("source_bookmark", head == null ? "" : head);
        request.put("target_branch", base == null ? "" : base);
        Api.Answer created = api.send(HttpMethod.POST, repoApi(org, repo) + "/pulls", v.token(), request);
        if (!created.ok()) {
            if (created.status() >= 500 || created.status() == 404) {
                throw Pages.refusal(created, "The pull request was not opened");
            }
            return Response.status(created.status() == 403 ? 403 : created.status() == 409 ? 409 : 400)
                    .entity(newForm(v, org, repo, head, base, title, body, "The pull request was not opened: " + created.message())).build();
        }
        return redirect("/" + enc(org) + "/" + enc(repo) + "/pulls/" + ((Number) created.data().get("number")).longValue());
    }

    /** The CSS class of a unified diff line: added, removed, a hunk or file header (meta), or context. */
    static String kind(String line) {
        if (line.startsWith("+++") || line.startsWith("---") || line.startsWith("diff ") || line.startsWith("index ")) {
            return "meta";
        }
        if (line.startsWith("@@")) {
            return "hunk";
        }
        return line.startsWith("+") ? "add" : line.startsWith("-") ? "del" : "ctx";
    }

    @POST
    @Path("/{number}/merge")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response merge(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("number") String number,
                          @FormParam("method") String method, @FormParam(Csrf.FIELD) String presented, @Context HttpHeaders headers) {
        Visitor v = requireSignedIn(visitor(api, csrf, headers));
        checkCsrf(csrf, v, presented);
        repository(api, v, org, repo);
        if (!number.matches("[0-9]{1,18}") || method == null || !METHODS.contains(method)) {
            throw new WebException(400, "Choose merge, squash or rebase.");
        }
        Api.Answer answer = api.send(HttpMethod.POST, repoApi(org, repo) + "/pulls/" + number + "/merge", v.token(), Map.of("method", method));
        if (answer.status() == 409 || answer.status() == 403 || answer.status() == 400) {
            // the page again, saying why: a conflict names its files, so the author knows what to fix
            Object paths = answer.details().get("paths");
            List<?> conflicts = "merge_conflict".equals(answer.code()) && paths instanceof List<?> list ? list : List.of();
            String problem = conflicts.isEmpty() ? "The pull request was not merged: " + answer.message()
                    : "The pull request was not merged: its branch conflicts with the target branch in these files.";
            return Response.status(answer.status()).entity(render(v, org, repo, number, problem, conflicts)).build();
        }
        if (!answer.ok()) {
            throw Pages.refusal(answer, "The pull request was not merged");
        }
        return redirect("/" + enc(org) + "/" + enc(repo) + "/pulls/" + number);
    }

    @POST
    @Path("/{number}/comments")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response comment(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("number") String number,
                            @FormParam("body") String body, @FormParam(Csrf.FIELD) String presented, @Context HttpHeaders headers) {
        return Pages.comment(api, csrf, headers, org, repo, "pulls", number, body, presented);
    }
}
