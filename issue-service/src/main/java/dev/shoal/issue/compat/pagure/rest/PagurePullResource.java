package dev.shoal.issue.compat.pagure.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.platform.config.PublicUrl;
import dev.shoal.platform.compat.pagure.PagureInput;
import dev.shoal.issue.compat.pagure.service.PagurePullService;
import dev.shoal.issue.compat.pagure.service.PagurePullService.FlagInput;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.compat.pagure.PagureException;
import dev.shoal.platform.compat.pagure.PagurePagination;
import dev.shoal.platform.identity.CurrentCaller;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;

/** Pagure API v0 pull request endpoints (canonical {@code /api/0/{org}/{repo}/…} forms) and a user's requests. */
@Path("/api/0")
@Produces(MediaType.APPLICATION_JSON)
public class PagurePullResource {

    private final PagurePullService pulls;
    private final CurrentCaller caller;
    private final ObjectMapper mapper;
    private final String publicUrl;

    public PagurePullResource(PagurePullService pulls, CurrentCaller caller, ObjectMapper mapper,
                              PublicUrl publicUrl) {
        this.pulls = pulls;
        this.caller = caller;
        this.mapper = mapper;
        this.publicUrl = publicUrl.base();
    }

    private PagureInput input(HttpHeaders headers, String body) {
        return PagureInput.parse(headers.getHeaderString(HttpHeaders.CONTENT_TYPE), body, mapper);
    }

    @POST
    @Path("/{org}/{repo}/pull-request/new")
    public Uni<Map<String, Object>> create(@PathParam("org") String org, @PathParam("repo") String repo, HttpHeaders headers,
                                           String body) {
        PagureInput in = input(headers, body);
        return pulls.create(caller.get(), org, repo, in.get("title"), in.get("branch_to"), in.get("branch_from"),
                in.get("repo_from"), in.get("repo_from_namespace"), in.get("repo_from_username"), in.get("initial_comment"))
                .map(PagureJson::pull);
    }

    @GET
    @Path("/{org}/{repo}/pull-requests")
    public Uni<Map<String, Object>> list(@PathParam("org") String org, @PathParam("repo") String repo,
                                         @QueryParam("status") String status, @QueryParam("assignee") String assignee,
                                         @QueryParam("author") String author, @QueryParam("tags") String tags,
                                         @QueryParam("page") String page, @QueryParam("per_page") String perPage) {
        PageRequest request = PageRequest.of(page, perPage, PagureIssueResource.DEFAULT_PER_PAGE, PagureIssueResource.MAX_PER_PAGE);
        return pulls.list(caller.get(), org, repo, status, assignee, author, request).map(listed -> {
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("assignee", assignee);
            args.put("author", author);
            args.put("page", request.page());
            args.put("per_page", request.perPage());
            args.put("status", status == null ? true : status);
            args.put("tags", tags);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("args", args);
            answer.put("pagination", PagurePagination.of(publicUrl + "/api/0/" + org + "/" + repo + "/pull-requests",
                    PagureIssueResource.params("assignee", assignee, "author", author, "status", status), request, listed.total()));
            answer.put("requests", listed.pulls().stream().map(PagureJson::pull).toList());
            answer.put("total_requests", listed.total());
            return answer;
        });
    }

    @GET
    @Path("/{org}/{repo}/pull-request/{id}")
    public Uni<Map<String, Object>> get(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("id") String id) {
        return pulls.get(caller.get(), org, repo, pullId(id)).map(PagureJson::pull);
    }

    @POST
    @Path("/{org}/{repo}/pull-request/{id}")
    public Uni<Map<String, Object>> update(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("id") String id,
                                           HttpHeaders headers, String body) {
        PagureInput in = input(headers, body);
        return pulls.update(caller.get(), org, repo, pullId(id), in.get("title"), in.get("initial_comment")).map(PagureJson::pull);
    }

    @GET
    @Path("/{org}/{repo}/pull-request/{id}/diffstats")
    public Uni<Map<String, Object>> diffstats(@PathParam("org") String org, @PathParam("repo") String repo,
                                              @PathParam("id") String id) {
        return pulls.diffstats(caller.get(), org, repo, pullId(id)).map(stats -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            stats.forEach(s -> {
                Map<String, Object> file = new LinkedHashMap<>();
                file.put("lines_added", s.added());
                file.put("lines_removed", s.removed());
                file.put("old_path", s.oldPath());
                file.put("status", s.status());
                answer.put(s.path(), file);
            });
            return answer;
        });
    }

    @GET
    @Path("/pull-requests/{uid}")
    public Uni<Map<String, Object>> byUid(@PathParam("uid") String uid) {
        return pulls.byUid(caller.get(), uid).map(PagureJson::pull);
    }

    /** Pagure merges asynchronously unless asked to wait; Shoal merges at once, so the answer is always the finished one. */
    @POST
    @Path("/{org}/{repo}/pull-request/{id}/merge")
    public Uni<Map<String, Object>> merge(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("id") String id,
                                          HttpHeaders headers, String body) {
        input(headers, body);
        return pulls.merge(caller.get(), org, repo, pullId(id)).replaceWith(Map.of("message", "Changes merged!"));
    }

    @POST
    @Path("/{org}/{repo}/pull-request/{id}/close")
    public Uni<Map<String, Object>> close(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("id") String id,
                                          HttpHeaders headers, String body) {
        input(headers, body);
        return pulls.close(caller.get(), org, repo, pullId(id)).replaceWith(Map.of("message", "Pull-request closed!"));
    }

    @POST
    @Path("/{org}/{repo}/pull-request/{id}/rebase")
    public Uni<Map<String, Object>> rebase(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("id") String id,
                                           HttpHeaders headers, String body) {
        input(headers, body);
        return pulls.rebase(caller.get(), org, repo, pullId(id)).replaceWith(Map.of("message", "Pull-request rebased"));
    }

    @POST
    @Path("/{org}/{repo}/pull-request/{id}/comment")
    public Uni<Map<String, Object>> comment(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("id") String id,
                                            HttpHeaders headers, String body) {
        PagureInput in = input(headers, body);
        return pulls.comment(caller.get(), org, repo, pullId(id), in.get("comment"), in.get("filename"), in.get("row"))
                .replaceWith(Map.of("message", "Comment added"));
    }

    @POST
    @Path("/{org}/{repo}/pull-request/{id}/assign")
    public Uni<Map<String, Object>> assign(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("id") String id,
                                           HttpHeaders headers, String body) {
        PagureInput in = input(headers, body);
        if (!in.has("assignee")) {
            throw PagureException.invalid("assignee: This field is required (empty to reset the assignee).");
        }
        return pulls.assign(caller.get(), org, repo, pullId(id), in.get("assignee"))
                .map(assigned -> Map.of("message", assigned ? "pull-request assigned" : "pull-request unassigned"));
    }

    @POST
    @Path("/{org}/{repo}/pull-request/{id}/flag")
    public Uni<Map<String, Object>> flag(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("id") String id,
                                         HttpHeaders headers, String body) {
        PagureInput in = input(headers, body);
        FlagInput flag = new FlagInput(in.get("uid"), in.get("username"), in.get("comment"), in.get("url"), in.get("status"),
                in.get("percent"));
        return pulls.flag(caller.get(), org, repo, pullId(id), flag).map(result -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("flag", PagureJson.flag(result.flag(), result.user(), result.pullUid()));
            answer.put("message", result.created() ? "Flag added" : "Flag updated");
            answer.put("uid", result.flag().uid());
            return answer;
        });
    }

    @GET
    @Path("/{org}/{repo}/pull-request/{id}/flag")
    public Uni<Map<String, Object>> flags(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("id") String id) {
        return pulls.flags(caller.get(), org, repo, pullId(id)).map(list -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("flags", list.stream().map(f -> PagureJson.flag(f.flag(), f.user(), null)).toList());
            answer.put("total_flags", list.size());
            return answer;
        });
    }

    @GET
    @Path("/user/{username}/requests/filed")
    public Uni<Map<String, Object>> filed(@PathParam("username") String username, @QueryParam("status") String status,
                                          @QueryParam("created") String created, @QueryParam("updated") String updated,
                                          @QueryParam("closed") String closed, @QueryParam("page") String page,
                                          @QueryParam("per_page") String perPage) {
        PageRequest request = PageRequest.of(page, perPage, PagureIssueResource.DEFAULT_PER_PAGE, PagureIssueResource.MAX_PER_PAGE);
        return pulls.filed(caller.get(), username, status, created, updated, closed, request)
                .map(listed -> requests("filed", username, status, created, updated, closed, request, listed));
    }

    @GET
    @Path("/user/{username}/requests/actionable")
    public Uni<Map<String, Object>> actionable(@PathParam("username") String username, @QueryParam("status") String status,
                                               @QueryParam("created") String created, @QueryParam("updated") String updated,
                                               @QueryParam("closed") String closed, @QueryParam("page") String page,
                                               @QueryParam("per_page") String perPage) {
        PageRequest request = PageRequest.of(page, perPage, PagureIssueResource.DEFAULT_PER_PAGE, PagureIssueResource.MAX_PER_PAGE);
        return pulls.actionable(caller.get(), username, status, created, updated, closed, request)
                .map(listed -> requests("actionable", username, status, created, updated, closed, request, listed));
    }

    private Map<String, Object> requests(String kind, String username, String status, String created, String updated, String closed,
                                         PageRequest request, PagurePullService.Listed listed) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("closed", closed);
        args.put("created", created);
        args.put("page", request.page());
        args.put("status", status == null ? "open" : status);
        args.put("updated", updated);
        args.put("username", username);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("args", args);
        answer.put("pagination", PagurePagination.of(publicUrl + "/api/0/user/" + username + "/requests/" + kind,
                PagureIssueResource.params("closed", closed, "created", created, "status", status, "updated", updated),
                request, listed.total()));
        answer.put("requests", listed.pulls().stream().map(PagureJson::pull).toList());
        answer.put("total_requests", listed.total());
        return answer;
    }

    static long pullId(String raw) {
        try {
            long id = Long.parseLong(raw);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // answered below, as Pagure does for a non-numeric id
        }
        throw new PagureException(404, "ENOREQ", "Pull-Request not found");
    }
}
