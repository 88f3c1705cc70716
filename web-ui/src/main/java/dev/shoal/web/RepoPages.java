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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Pages of one repository, at Gitea's and GitHub's addresses. A repository the visitor may not see
 * answers the same 404 page as one that does not exist: the API already says 404 for both.
 */
@Path("/{org}/{repo}")
@Produces(MediaType.TEXT_HTML)
public class RepoPages {

    private static final int PER_PAGE = 20;
    private static final Set<String> STATES = Set.of("new", "open", "closed");

    private final Api api;
    private final Csrf csrf;
    private final Markdown markdown;
    private final Template repoHome;
    private final Template source;
    private final Template commits;
    private final Template issues;
    private final Template issue;
    private final Template newIssue;
    private final Template commitView;

    public RepoPages(Api api, Csrf csrf, Markdown markdown, @Location("repo.html") Template repoHome,
                     @Location("source.html") Template source, @Location("commits.html") Template commits,
                     @Location("issues.html") Template issues, @Location("issue.html") Template issue,
                     @Location("issue-new.html") Template newIssue, @Location("commit.html") Template commitView) {
        this.api = api;
        this.csrf = csrf;
        this.markdown = markdown;
        this.repoHome = repoHome;
        this.source = source;
        this.commits = commits;
        this.issues = issues;
        this.issue = issue;
        this.newIssue = newIssue;
        this.commitView = commitView;
    }

    private static String pathQuery(String path) {
        StringBuilder out = new StringBuilder();
        for (String segment : path.split("/")) {
            if (!segment.isEmpty()) {
                out.append(out.isEmpty() ? "" : "/").append(enc(segment));
            }
        }
        return out.toString();
    }

    @GET
    public Response home(@PathParam("org") String org, @PathParam("repo") String repo, @Context HttpHeaders headers) {
        Visitor v = visitor(api, csrf, headers);
        Map<String, Object> r = repository(api, v, org, repo);
        String ref = String.valueOf(r.getOrDefault("default_branch", "main"));
        Api.Answer tree = api.get(repoApi(org, repo) + "/tree/?rev=" + enc(ref), v.token());
        List<Map<String, Object>> entries = tree.ok() ? sorted(tree.list()) : List.of();
        String readme = null;
        for (Map<String, Object> entry : entries) {
            String name = String.valueOf(entry.get("name"));
            if (!Boolean.TRUE.equals(entry.get("is_dir")) && name.toLowerCase(Locale.ROOT).matches("readme(\\.md|\\.markdown|\\.txt)?")) {
                Api.Answer blob = api.get(repoApi(org, repo) + "/blob/" + enc(name) + "?rev=" + enc(ref), v.token());
                if (blob.ok()) {
                    String text = text(blob.data());
                    readme = name.toLowerCase(Locale.ROOT).endsWith(".txt") || name.equalsIgnoreCase("readme")
                            ? "<pre>" + Markdown.escape(text) + "</pre>" : markdown.render(text);
                }
                break;
            }
        }
        return Response.ok(repoHome.data("v", v).data("org", org).data("repo", r).data("ref", ref).data("entries", entries)
                .data("empty", !tree.ok()).data("readme", readme).data("tab", "code").render()).build();
    }

    private static List<Map<String, Object>> sorted(List<Map<String, Object>> entries) {
        List<Map<String, Object>> copy = new ArrayList<>(entries);
        copy.sort(Comparator.comparing((Map<String, Object> e) -> !Boolean.TRUE.equals(e.get("is_dir")))
                .thenComparing(e -> String.valueOf(e.get("name"))));
        return copy;
    }

    private static String text(Map<String, Object> blob) {
        String content = String.valueOf(blob.getOrDefault("content", ""));
        if ("base64".equals(blob.get("encoding"))) {
            return new String(Base64.getDecoder().decode(content), StandardCharsets.UTF_8);
        }
        return content;
    }

    @GET
    @Path("/src/{ref}")
    public Response sourceRoot(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("ref") String ref,
                               @Context HttpHeaders headers) {
        return source(org, repo, ref, "", headers);
    }

    @GET
    @Path("/src/{ref}/{path: .*}")
    public Response source(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("ref") String ref,
                           @PathParam("path") String path, @Context HttpHeaders headers) {
        Visitor v = visitor(api, csrf, headers);
        Map<String, Object> r = repository(api, v, org, repo);
        String clean = pathQuery(path);
        Api.Answer tree = api.get(repoApi(org, repo) + "/tree/" + clean + "?rev=" + enc(ref), v.token());
        List<Map<String, String>> crumbs = crumbs(clean);
        if (tree.ok()) {
            return Response.ok(source.data("v", v).data("org", org).data("repo", r).data("ref", ref).data("path", clean)
                    .data("crumbs", crumbs).data("entries", sorted(tree.list())).data("file", null).data("tab", "code").render()).build();
        }
        Api.Answer blob = clean.isEmpty() ? tree : api.get(repoApi(org, repo) + "/blob/" + clean + "?rev=" + enc(ref), v.token());
        if (blob.status() == 413) {
            throw new WebException(413, "This file is too large to show here; clone the repository to read it.");
        }
        if (!blob.ok()) {
            throw WebException.notFound();
        }
        Map<String, Object> file = new LinkedHashMap<>(blob.data());
        boolean binary = "base64".equals(file.get("encoding"));
        String text = binary ? "" : text(file);
        int lines = text.isEmpty() ? 0 : (int) text.chars().filter(c -> c == '\n').count() + (text.endsWith("\n") ? 0 : 1);
        file.put("text", text.endsWith("\n") ? text.substring(0, text.length() - 1) : text);
        file.put("binary", binary);
        file.put("lines", java.util.stream.IntStream.rangeClosed(1, lines).boxed().toList());
        file.put("language", language(clean));
        return Response.ok(source.data("v", v).data("org", org).data("repo", r).data("ref", ref).data("path", clean)
                .data("crumbs", crumbs).data("entries", List.of()).data("file", file).data("tab", "code").render()).build();
    }

    private static List<Map<String, String>> crumbs(String path) {
        List<Map<String, String>> crumbs = new ArrayList<>();
        String at = "";
        for (String segment : path.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            at = at.isEmpty() ? segment : at + "/" + segment;
            crumbs.add(Map.of("name", java.net.URLDecoder.decode(segment, StandardCharsets.UTF_8), "path", at));
        }
        return crumbs;
    }

    /** highlight.js's language for a file name; empty lets it guess. */
    static String language(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? name : name.substring(dot + 1);
        return switch (ext) {
            case "java" -> "java";
            case "js", "mjs" -> "javascript";
            case "ts" -> "typescript";
            case "py" -> "python";
            case "go" -> "go";
            case "rs" -> "rust";
            case "md", "markdown" -> "markdown";
            case "yml", "yaml" -> "yaml";
            case "json" -> "json";
            case "xml", "html", "pom" -> "xml";
            case "sh", "bash" -> "bash";
            case "sql" -> "sql";
            case "css" -> "css";
            case "c", "h" -> "c";
            case "cpp", "hpp", "cc" -> "cpp";
            case "kt" -> "kotlin";
            case "rb" -> "ruby";
            case "dockerfile" -> "dockerfile";
            default -> "plaintext";
        };
    }

    @GET
    @Path("/commits/{ref}")
    public Response commitList(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("ref") String ref,
                               @QueryParam("page") String page, @Context HttpHeaders headers) {
        Visitor v = visitor(api, csrf, headers);
        Map<String, Object> r = repository(api, v, org, repo);
        int p = page(page);
        Api.Answer log = api.get(repoApi(org, repo) + "/log?rev=" + enc(ref) + "&page=" + p + "&per_page=" + PER_PAGE, v.token());
        if (log.status() == 404) {
            throw WebException.notFound();
        }
        return Response.ok(commits.data("v", v).data("org", org).data("repo", r).data("ref", ref).data("commits", log.list())
                .data("paging", paging(p, log.total(), PER_PAGE)).data("pagerBase", "/" + enc(org) + "/" + enc(repo) + "/commits/" + enc(ref) + "?")
                .data("tab", "commits").render()).build();
    }

    @GET
    @Path("/commit/{sha}")
    public Response commit(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("sha") String sha,
                           @Context HttpHeaders headers) {
        Visitor v = visitor(api, csrf, headers);
        Map<String, Object> r = repository(api, v, org, repo);
        if (!sha.matches("[0-9a-fA-F]{4,64}")) {
            throw WebException.notFound();
        }
        Api.Answer found = api.get(repoApi(org, repo) + "/changeset/" + sha, v.token());
        if (!found.ok()) {
            throw found.status() >= 500 ? new WebException(503, "The commit could not be read: " + found.message()) : WebException.notFound();
        }
        Map<String, Object> c = found.data();
        List<Map<String, String>> lines = new ArrayList<>();
        String diff = c.get("diff") == null ? "" : c.get("diff").toString();
        String[] all = diff.split("\n", -1);
        for (int i = 0; i < all.length && i < 5_000; i++) {
            lines.add(Map.of("text", all[i], "kind", PullPages.kind(all[i])));
        }
        return Response.ok(commitView.data("v", v).data("org", org).data("repo", r).data("commit", c).data("diff", lines)
                .data("cut", all.length > 5_000).data("tab", "commits").render()).build();
    }

    // --- issues ----------------------------------------------------------------------------------

    @GET
    @Path("/issues")
    public Response issueList(@PathParam("org") String org, @PathParam("repo") String repo, @QueryParam("state") String state,
                              @QueryParam("page") String page, @Context HttpHeaders headers) {
        Visitor v = visitor(api, csrf, headers);
        Map<String, Object> r = repository(api, v, org, repo);
        String s = state != null && STATES.contains(state) ? state : "open";
        int p = page(page);
        Api.Answer list = api.get(repoApi(org, repo) + "/issues?state=" + s + "&page=" + p + "&per_page=" + PER_PAGE, v.token());
        if (!list.ok()) {
            throw list.status() == 404 ? WebException.notFound() : new WebException(503, "Issues could not be read: " + list.message());
        }
        return Response.ok(issues.data("v", v).data("org", org).data("repo", r).data("issues", list.list()).data("state", s)
                .data("paging", paging(p, list.total(), PER_PAGE)).data("pagerBase", "/" + enc(org) + "/" + enc(repo) + "/issues?state=" + s + "&")
                .data("tab", "issues").render()).build();
    }

    @GET
    @Path("/issues/new")
    public Response issueForm(@PathParam("org") String org, @PathParam("repo") String repo, @Context HttpHeaders headers) {
        Visitor v = visitor(api, csrf, headers);
        if (!v.signedIn()) {
            return redirect("/login");
        }
        Map<String, Object> r = repository(api, v, org, repo);
        return Response.ok(newIssue.data("v", v).data("org", org).data("repo", r).data("problem", null).data("title", null)
                .data("body", null).data("tab", "issues").render()).build();
    }

    @POST
    @Path("/issues")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response createIssue(@PathParam("org") String org, @PathParam("repo") String repo, @FormParam("title") String title,
                                @FormParam("body") String body, @FormParam(Csrf.FIELD) String presented, @Context HttpHeaders headers) {
        Visitor v = requireSignedIn(visitor(api, csrf, headers));
        checkCsrf(csrf, v, presented);
        Map<String, Object> r = repository(api, v, org, repo);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("title", title == null ? "" : title);
        request.put("body", body == null ? "" : body);
        Api.Answer created = api.send(HttpMethod.POST, repoApi(org, repo) + "/issues", v.token(), request);
        if (!created.ok()) {
            return Response.status(created.status() >= 500 ? 503 : 400).entity(newIssue.data("v", v).data("org", org).data("repo", r)
                    .data("problem", "The issue was not opened: " + created.message()).data("title", title).data("body", body)
                    .data("tab", "issues").render()).build();
        }
        return redirect("/" + enc(org) + "/" + enc(repo) + "/issues/" + ((Number) created.data().get("number")).longValue());
    }

    @GET
    @Path("/issues/{number}")
    public Response issuePage(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("number") String number,
                              @Context HttpHeaders headers) {
        Visitor v = visitor(api, csrf, headers);
        Map<String, Object> r = repository(api, v, org, repo);
        if (!number.matches("[0-9]{1,18}")) {
            throw WebException.notFound();
        }
        Api.Answer found = api.get(repoApi(org, repo) + "/issues/" + number, v.token());
        if (!found.ok()) {
            throw found.status() == 404 ? WebException.notFound() : new WebException(503, "The issue could not be read: " + found.message());
        }
        Map<String, Object> i = markdown.thread(found.data());
        List<Map<String, Object>> comments = markdown.comments(i);
        // the repository's labels, offered to add (the API lets members add them)
        List<Map<String, Object>> labels = v.signedIn() ? api.get(repoApi(org, repo) + "/labels?per_page=100", v.token()).list() : List.of();
        return Response.ok(issue.data("v", v).data("org", org).data("repo", r).data("issue", i).data("comments", comments)
                .data("labels", labels).data("closed", "closed".equals(i.get("state"))).data("tab", "issues").render()).build();
    }

    @POST
    @Path("/issues/{number}/comments")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response comment(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("number") String number,
                            @FormParam("body") String body, @FormParam(Csrf.FIELD) String presented, @Context HttpHeaders headers) {
        return Pages.comment(api, csrf, headers, org, repo, "issues", number, body, presented);
    }

    @POST
    @Path("/issues/{number}/state")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response changeState(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("number") String number,
                                @FormParam("state") String state, @FormParam(Csrf.FIELD) String presented, @Context HttpHeaders headers) {
        Visitor v = requireSignedIn(visitor(api, csrf, headers));
        checkCsrf(csrf, v, presented);
        repository(api, v, org, repo);
        if (!number.matches("[0-9]{1,18}") || state == null || !STATES.contains(state)) {
            throw new WebException(400, "Choose open or closed.");
        }
        Api.Answer answer = api.send(HttpMethod.PATCH, repoApi(org, repo) + "/issues/" + number, v.token(), Map.of("state", state));
        if (!answer.ok()) {
            throw new WebException(answer.status() == 404 ? 404 : answer.status() == 403 ? 403 : 400,
                    "The issue was not changed: " + answer.message());
        }
        return redirect("/" + enc(org) + "/" + enc(repo) + "/issues/" + number);
    }
}
