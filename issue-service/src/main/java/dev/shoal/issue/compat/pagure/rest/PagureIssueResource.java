package dev.shoal.issue.compat.pagure.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.platform.config.PublicUrl;
import dev.shoal.platform.compat.pagure.PagureInput;
import dev.shoal.issue.compat.pagure.service.PagureIssueService;
import dev.shoal.issue.compat.pagure.service.PagureIssueService.ListQuery;
import dev.shoal.issue.compat.pagure.service.PagureIssueService.NewIssue;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pagure API v0 issue endpoints (canonical {@code /api/0/{org}/{repo}/…} forms; Pagure's namespace
 * is Shoal's organization). Bodies are read by {@link PagureInput}: form-encoded or JSON.
 */
@Path("/api/0")
@Produces(MediaType.APPLICATION_JSON)
public class PagureIssueResource {

    static final int DEFAULT_PER_PAGE = 20;
    static final int MAX_PER_PAGE = 100;

    private final PagureIssueService issues;
    private final CurrentCaller caller;
    private final ObjectMapper mapper;
    private final String publicUrl;

    public PagureIssueResource(PagureIssueService issues, CurrentCaller caller, ObjectMapper mapper,
                               PublicUrl publicUrl) {
        this.issues = issues;
        this.caller = caller;
        this.mapper = mapper;
        this.publicUrl = publicUrl.base();
    }

    @POST
    @Path("/{org}/{repo}/new_issue")
    public Uni<Map<String, Object>> create(@PathParam("org") String org, @PathParam("repo") String repo,
                                           HttpHeaders headers, String body) {
        PagureInput in = PagureInput.parse(headers.getHeaderString(HttpHeaders.CONTENT_TYPE), body, mapper);
        List<String> tags = new ArrayList<>();
        for (String raw : in.all("tag")) {
            Arrays.stream(raw == null ? new String[0] : raw.split(",")).map(String::strip).filter(t -> !t.isEmpty())
                    .forEach(tags::add);
        }
        NewIssue issue = new NewIssue(in.get("title"), in.get("issue_content"), PagureInput.bool("private", in.get("private")),
                blankToNull(in.get("priority")), blankToNull(in.get("milestone")), tags.stream().distinct().toList(),
                blankToNull(in.get("assignee")));
        return issues.create(caller.get(), org, repo, issue).map(created -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("issue", PagureJson.issue(created));
            answer.put("message", "Issue created");
            return answer;
        });
    }

    @GET
    @Path("/{org}/{repo}/issues")
    public Uni<Map<String, Object>> list(@PathParam("org") String org, @PathParam("repo") String repo,
                                         @QueryParam("status") String status, @QueryParam("tags") List<String> tags,
                                         @QueryParam("assignee") String assignee, @QueryParam("author") String author,
                                         @QueryParam("milestones") List<String> milestones, @QueryParam("priority") String priority,
                                         @QueryParam("no_stones") String noStones, @QueryParam("since") String since,
                                         @QueryParam("order") String order, @QueryParam("page") String page,
                                         @QueryParam("per_page") String perPage) {
        PageRequest request = PageRequest.of(page, perPage, DEFAULT_PER_PAGE, MAX_PER_PAGE);
        ListQuery query = new ListQuery(status, tags, assignee, author, milestones, priority, noStones, since, order);
        return issues.list(caller.get(), org, repo, query, request).map(listed -> {
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("assignee", assignee);
            args.put("author", author);
            args.put("milestones", milestones);
            args.put("no_stones", noStones == null ? null : PagureInput.bool("no_stones", noStones));
            args.put("order", order);
            args.put("priority", priority);
            args.put("since", since);
            args.put("status", status);
            args.put("tags", tags);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("args", args);
            answer.put("issues", listed.issues().stream().map(PagureJson::issue).toList());
            answer.put("pagination", PagurePagination.of(publicUrl + "/api/0/" + org + "/" + repo + "/issues",
                    keep(params("assignee", assignee, "author", author, "no_stones", noStones, "order", order,
                            "priority", priority, "since", since, "status", status), tags, milestones), request, listed.total()));
            answer.put("total_issues", listed.total());
            return answer;
        });
    }

    @GET
    @Path("/{org}/{repo}/issue/{id}")
    public Uni<Map<String, Object>> get(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("id") String id) {
        return issues.get(caller.get(), org, repo, issueId(id)).map(PagureJson::issue);
    }

    @GET
    @Path("/{org}/{repo}/issue/{id}/comment/{comment}")
    public Uni<Map<String, Object>> comment(@PathParam("org") String org, @PathParam("repo") String repo,
                                            @PathParam("id") String id, @PathParam("comment") String commentId) {
        long cid;
        try {
            cid = Long.parseLong(commentId);
        } catch (NumberFormatException e) {
            throw new PagureException(404, "ENOCOMMENT", "Comment not found");
        }
        return issues.comment(caller.get(), org, repo, issueId(id), cid).map(found -> {
            var row = found.row();
            var created = row.getOffsetDateTime("created_at").toInstant();
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("avatar_url", found.author() == null ? null : found.author().avatarUrl());
            json.put("comment", row.getString("body"));
            json.put("comment_date", PagureJson.commentDate(created));
            json.put("date_created", PagureJson.date(created));
            json.put("id", row.getLong("id"));
            json.put("parent", null);
            json.put("user", PagureJson.user(found.author()));
            return json;
        });
    }

    @POST
    @Path("/{org}/{repo}/issue/{id}/comment")
    public Uni<Map<String, Object>> addComment(@PathParam("org") String org, @PathParam("repo") String repo,
                                               @PathParam("id") String id, HttpHeaders headers, String body) {
        PagureInput in = PagureInput.parse(headers.getHeaderString(HttpHeaders.CONTENT_TYPE), body, mapper);
        return issues.addComment(caller.get(), org, repo, issueId(id), in.get("comment"))
                .replaceWith(Map.of("message", "Comment added"));
    }

    @POST
    @Path("/{org}/{repo}/issue/{id}/status")
    public Uni<Map<String, Object>> status(@PathParam("org") String org, @PathParam("repo") String repo,
                                           @PathParam("id") String id, HttpHeaders headers, String body) {
        PagureInput in = PagureInput.parse(headers.getHeaderString(HttpHeaders.CONTENT_TYPE), body, mapper);
        long number = issueId(id);
        return issues.status(caller.get(), org, repo, number, in.get("status"), in.get("close_status"))
                .replaceWith(Map.of("message", "Successfully edited issue #" + number));
    }

    @POST
    @Path("/{org}/{repo}/issue/{id}/milestone")
    public Uni<Map<String, Object>> milestone(@PathParam("org") String org, @PathParam("repo") String repo,
                                              @PathParam("id") String id, HttpHeaders headers, String body) {
        PagureInput in = PagureInput.parse(headers.getHeaderString(HttpHeaders.CONTENT_TYPE), body, mapper);
        long number = issueId(id);
        return issues.milestone(caller.get(), org, repo, number, in.get("milestone"))
                .replaceWith(Map.of("message", "Successfully edited issue #" + number));
    }

    @POST
    @Path("/{org}/{repo}/issue/{id}/assign")
    public Uni<Map<String, Object>> assign(@PathParam("org") String org, @PathParam("repo") String repo,
                                           @PathParam("id") String id, HttpHeaders headers, String body) {
        PagureInput in = PagureInput.parse(headers.getHeaderString(HttpHeaders.CONTENT_TYPE), body, mapper);
        if (!in.has("assignee")) {
            throw PagureException.invalid("assignee: This field is required (empty to reset the assignee).");
        }
        return issues.assign(caller.get(), org, repo, issueId(id), in.get("assignee"))
                .map(assigned -> Map.of("message", assigned ? "Issue assigned" : "Assignee reset"));
    }

    @POST
    @Path("/{org}/{repo}/issue/{id}/subscribe")
    public Uni<Map<String, Object>> subscribe(@PathParam("org") String org, @PathParam("repo") String repo,
                                              @PathParam("id") String id, HttpHeaders headers, String body) {
        PagureInput in = PagureInput.parse(headers.getHeaderString(HttpHeaders.CONTENT_TYPE), body, mapper);
        if (in.get("status") == null) {
            throw PagureException.invalid("status: This field is required (true to subscribe, false to unsubscribe).");
        }
        boolean subscribe = PagureInput.bool("status", in.get("status"));
        return issues.subscribe(caller.get(), org, repo, issueId(id), subscribe).map(changed -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("message", subscribe ? "User subscribed" : "User unsubscribed");
            answer.put("avatar_url", null);
            answer.put("user", caller.get().login());
            return answer;
        });
    }

    @POST
    @Path("/{org}/{repo}/issue/{id}/custom/{field}")
    public Uni<Map<String, Object>> customOne(@PathParam("org") String org, @PathParam("repo") String repo,
                                              @PathParam("id") String id, @PathParam("field") String field,
                                              HttpHeaders headers, String body) {
        PagureInput in = PagureInput.parse(headers.getHeaderString(HttpHeaders.CONTENT_TYPE), body, mapper);
        Map<String, String> values = new LinkedHashMap<>();
        values.put(field, in.get("value"));
        return issues.custom(caller.get(), org, repo, issueId(id), values)
                .map(messages -> Map.of("message", messages.get(0).get(field)));
    }

    /** Pagure takes the fields as a form, a JSON object of name to value, or that object under {@code myfields}. */
    @POST
    @Path("/{org}/{repo}/issue/{id}/custom")
    public Uni<Map<String, Object>> customMany(@PathParam("org") String org, @PathParam("repo") String repo,
                                               @PathParam("id") String id, HttpHeaders headers, String body) {
        String type = headers.getHeaderString(HttpHeaders.CONTENT_TYPE);
        Map<String, String> values;
        if (type != null && type.toLowerCase().startsWith("application/json") && body != null && !body.isBlank()) {
            values = jsonFields(body);
        } else {
            values = PagureInput.parse(type, body, mapper).asMap();
            values.remove("myfields");
        }
        return issues.custom(caller.get(), org, repo, issueId(id), values).map(messages -> Map.of("messages", messages));
    }

    private Map<String, String> jsonFields(String body) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (Exception e) {
            throw PagureException.invalid("the body is not valid JSON: send an object of custom field names to values");
        }
        if (root != null && root.has("myfields") && root.get("myfields").isObject()) {
            root = root.get("myfields");
        }
        if (root == null || !root.isObject()) {
            throw PagureException.invalid("myfields: must be an object of custom field names to values");
        }
        Map<String, String> values = new LinkedHashMap<>();
        root.fields().forEachRemaining(e -> {
            if (e.getValue().isContainerNode()) {
                throw PagureException.invalid("custom field " + e.getKey() + " must be a text, number or boolean");
            }
            values.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
        });
        return values;
    }

    @GET
    @Path("/user/{username}/issues")
    public Uni<Map<String, Object>> userIssues(@PathParam("username") String username, @QueryParam("status") String status,
                                               @QueryParam("tags") List<String> tags, @QueryParam("milestones") List<String> milestones,
                                               @QueryParam("no_stones") String noStones, @QueryParam("since") String since,
                                               @QueryParam("order") String order, @QueryParam("assignee") String assignee,
                                               @QueryParam("author") String author, @QueryParam("page") String page,
                                               @QueryParam("per_page") String perPage) {
        PageRequest request = PageRequest.of(page, perPage, DEFAULT_PER_PAGE, MAX_PER_PAGE);
        boolean wantAssigned = assignee == null || PagureInput.bool("assignee", assignee);
        boolean wantCreated = author == null || PagureInput.bool("author", author);
        ListQuery query = new ListQuery(status, tags, null, null, milestones, null, noStones, since, order);
        return issues.userIssues(caller.get(), username, query, request, wantAssigned, wantCreated).map(found -> {
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("assignee", wantAssigned);
            args.put("author", wantCreated);
            args.put("milestones", milestones);
            args.put("no_stones", noStones == null ? null : PagureInput.bool("no_stones", noStones));
            args.put("order", order);
            args.put("page", request.page());
            args.put("since", since);
            args.put("status", status);
            args.put("tags", tags);
            String url = publicUrl + "/api/0/user/" + username + "/issues";
            Map<String, String> kept = keep(params("no_stones", noStones, "order", order, "since", since, "status", status),
                    tags, milestones);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("args", args);
            answer.put("issues_assigned", found.assigned().issues().stream().map(PagureJson::issue).toList());
            answer.put("issues_created", found.created().issues().stream().map(PagureJson::issue).toList());
            answer.put("pagination_issues_assigned", PagurePagination.of(url, kept, request, found.assigned().total()));
            answer.put("pagination_issues_created", PagurePagination.of(url, kept, request, found.created().total()));
            answer.put("total_issues_assigned", found.assigned().total());
            answer.put("total_issues_created", found.created().total());
            return answer;
        });
    }

    /** Filters to repeat in pagination links; multi-valued ones are joined with commas, which the filters also accept. */
    static Map<String, String> keep(Map<String, String> single, List<String> tags, List<String> milestones) {
        Map<String, String> kept = new LinkedHashMap<>(single);
        if (tags != null && !tags.isEmpty()) {
            kept.put("tags", String.join(",", tags));
        }
        if (milestones != null && milestones.size() == 1) {
            kept.put("milestones", milestones.get(0));
        }
        return kept;
    }

    /** Key, value, key, value…: a map that keeps nulls (absent filters) and order. */
    static Map<String, String> params(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    static long issueId(String raw) {
        try {
            long id = Long.parseLong(raw);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // answered below, as Pagure does for a non-numeric id
        }
        throw new PagureException(404, "ENOISSUE", "Issue not found");
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
