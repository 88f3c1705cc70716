package dev.shoal.repo.compat.pagure.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.platform.compat.pagure.PagureInput;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.config.PublicUrl;
import dev.shoal.platform.compat.pagure.PagureException;
import dev.shoal.platform.compat.pagure.PagurePagination;
import dev.shoal.platform.identity.Caller;
import dev.shoal.platform.identity.CurrentCaller;
import dev.shoal.repo.compat.pagure.PagureProject;
import dev.shoal.repo.compat.pagure.ProjectSearch;
import dev.shoal.repo.compat.pagure.service.PagureProjectService;
import dev.shoal.repo.content.BranchView;
import dev.shoal.repo.content.TagView;
import dev.shoal.repo.content.service.ContentService;
import dev.shoal.repo.repo.Repo;
import dev.shoal.repo.repo.service.RepoService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Pagure API v0 project endpoints over the same {@link RepoService} and {@link ContentService} as
 * the Isurus API, plus {@link PagureProjectService} for what only Pagure has. Paths are the
 * canonical {@code /api/0/{org}/{repo}/…}: the gateway rewrites Pagure's no-namespace and
 * {@code fork/} forms onto it. Errors are answered in Pagure's shape by the platform mappers, by path.
 */
@Path("/api/0")
@Produces(MediaType.APPLICATION_JSON)
public class PagureProjectResource {

    /** Fields Pagure repeats in forms ({@code tags=a&tags=b}), which JSON may give as lists. */
    private static final java.util.Set<String> REPEATABLE = java.util.Set.of("tags", "username");

    /** Pagure's per_page ceiling and default for project listings. */
    private static final int MAX_PER_PAGE = 100;
    private static final int DEFAULT_PER_PAGE = 20;
    /** Pagure lists branches and tags unpaginated: one page larger than any repository's ref count. */
    private static final PageRequest EVERYTHING = new PageRequest(1, 1 << 30);
    private static final String GENERATE_ACLS_NOTE = "Shoal checks project ACLs at its gateway on every request; "
            + "there is no Gitolite configuration to regenerate, so nothing was done";

    private final RepoService repos;
    private final ContentService content;
    private final PagureProjectService projects;
    private final CurrentCaller caller;
    private final ObjectMapper mapper;
    private final PublicUrl publicUrl;

    public PagureProjectResource(RepoService repos, ContentService content, PagureProjectService projects, CurrentCaller caller,
                                 ObjectMapper mapper, PublicUrl publicUrl) {
        this.repos = repos;
        this.content = content;
        this.projects = projects;
        this.caller = caller;
        this.mapper = mapper;
        this.publicUrl = publicUrl;
    }

    // ---- instance level ---------------------------------------------------------------------------

    @GET
    @Path("/projects")
    public Uni<Map<String, Object>> list(@QueryParam("tags") List<String> tags, @QueryParam("pattern") String pattern,
                                         @QueryParam("username") String username, @QueryParam("owner") String owner,
                                         @QueryParam("namespace") String namespace, @QueryParam("fork") String fork,
                                         @QueryParam("short") String shortParam, @QueryParam("page") String page,
                                         @QueryParam("per_page") String perPage) {
        PageRequest request = PageRequest.of(page, perPage, DEFAULT_PER_PAGE, MAX_PER_PAGE);
        boolean isShort = bool("short", shortParam);
        Boolean isFork = fork == null || fork.isBlank() ? null : bool("fork", fork);
        Caller viewer = caller.get();
        String own = blankToNull(owner);
        boolean negated = own != null && own.startsWith("!");
        List<String> tagList = tags == null ? List.of() : tags.stream().filter(t -> !t.isBlank()).toList();
        ProjectSearch search = new ProjectSearch(blankToNull(namespace), pattern == null || pattern.isBlank() ? null : likePattern(pattern),
                negated ? null : own, negated ? blankToNull(own.substring(1)) : null, isFork, tagList.isEmpty() ? null : tagList,
                blankToNull(username), null, null);
        return projects.search(search, request).map(result -> {
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("fork", isFork);
            args.put("namespace", namespace);
            args.put("owner", owner);
            args.put("page", request.page());
            args.put("pattern", pattern);
            args.put("per_page", request.perPage());
            args.put("short", isShort);
            args.put("tags", tagList);
            args.put("username", username);
            Map<String, String> keep = new LinkedHashMap<>();
            keep.put("tags", tagList.isEmpty() ? null : String.join(",", tagList));
            keep.put("pattern", pattern);
            keep.put("username", username);
            keep.put("owner", owner);
            keep.put("namespace", namespace);
            keep.put("fork", fork);
            keep.put("short", shortParam);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("args", args);
            body.put("pagination", PagurePagination.of(publicUrl.resolve("/api/0/projects"), keep, request,
                    result.pagination().total()));
            body.put("projects", result.data().stream().map(p -> isShort ? PagureViews.shortProject(p, projects.defaultNamespace())
                    : PagureViews.project(p.forViewer(viewer), publicUrl, projects.defaultNamespace())).toList());
            body.put("total_projects", result.pagination().total());
            return body;
        });
    }

    @POST
    @Path("/new")
    public Uni<Map<String, Object>> create(@HeaderParam("Content-Type") String contentType, String raw) {
        PagureInput in = PagureInput.parse(contentType, raw, mapper, REPEATABLE);
        String name = in.required("name");
        if (in.get("description") == null) {
            throw PagureException.invalid("description: this field is required");
        }
        String description = in.get("description");
        boolean isPrivate = bool("private", in.get("private"));
        Caller who = caller.get();
        who.requireUserId();
        // Pagure answers a task id unless asked to wait; omitting wait waits, which is what scripts written
        // against earlier Shoal releases expect.
        boolean waitForIt = in.get("wait") == null || bool("wait", in.get("wait"));
        if (!waitForIt) {
            return projects.queue(who, "create", () -> projects.create(who, name, description, in.get("namespace"), isPrivate)
                            .map(repo -> "Project \"" + repo.org() + "/" + repo.name() + "\" created"))
                    .map(task -> Map.of("message", "Project creation queued", "taskid", task.toString()));
        }
        return projects.create(who, name, description, in.get("namespace"), isPrivate)
                .map(repo -> Map.of("message", "Project \"" + repo.org() + "/" + repo.name() + "\" created"));
    }

    @POST
    @Path("/fork")
    public Uni<Map<String, Object>> fork(@HeaderParam("Content-Type") String contentType, String raw) {
        PagureInput in = PagureInput.parse(contentType, raw, mapper, REPEATABLE);
        String repo = in.required("repo");
        String namespace = in.get("namespace");
        String username = in.get("username");
        Caller who = caller.get();
        who.requireUserId();
        boolean waitForIt = in.get("wait") == null || bool("wait", in.get("wait"));
        String parentName = (namespace == null || namespace.isBlank() ? "" : namespace + "/") + repo;
        if (!waitForIt) {
            return projects.queue(who, "fork", () -> projects.fork(who, repo, namespace, username).map(f -> cloned(parentName, f)))
                    .map(task -> Map.of("message", "Project forking queued", "taskid", task.toString()));
        }
        return projects.fork(who, repo, namespace, username).map(f -> Map.of("message", cloned(parentName, f)));
    }

    private static String cloned(String parent, Repo fork) {
        String user = fork.name().substring(fork.name().lastIndexOf("--fork--") + "--fork--".length());
        return "Repo \"" + parent + "\" cloned to \"" + user + "/" + parent.substring(parent.lastIndexOf('/') + 1) + "\"";
    }

    @GET
    @Path("/task/{taskid}/status")
    public Uni<Map<String, Object>> task(@PathParam("taskid") String taskId) {
        return projects.task(taskId).map(task -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", task.status());
            body.put("message", task.message());
            body.put("date_created", PagureViews.seconds(task.createdAt()));
            body.put("date_finished", PagureViews.seconds(task.finishedAt()));
            return body;
        });
    }

    // ---- one project ----------------------------------------------------------------------------

    @GET
    @Path("/{org}/{repo}")
    public Uni<Map<String, Object>> project(@PathParam("org") String org, @PathParam("repo") String name) {
        Caller who = caller.get();
        return projects.visible(who, org, name).chain(projects::project).map(p -> view(p, who));
    }

    @PATCH
    @Path("/{org}/{repo}")
    public Uni<Map<String, Object>> modify(@PathParam("org") String org, @PathParam("repo") String name,
                                           @HeaderParam("Content-Type") String contentType, String raw) {
        PagureInput in = PagureInput.parse(contentType, raw, mapper, REPEATABLE);
        String mainAdmin = blankToNull(in.get("main_admin"));
        List<String> tags = in.has("tags") ? splitTags(in.all("tags")) : null;
        if (mainAdmin == null && tags == null) {
            throw PagureException.invalid("main_admin: this field is required");
        }
        boolean retain = bool("retain_access", in.get("retain_access"));
        Caller who = caller.get();
        requireAdmin(who);
        return projects.visible(who, org, name)
                .chain(repo -> projects.modify(who, repo, mainAdmin, retain, tags))
                .chain(projects::project).map(p -> view(p, who));
    }

    @GET
    @Path("/{org}/{repo}/git/branches")
    @Blocking
    public Map<String, Object> branches(@PathParam("org") String org, @PathParam("repo") String name,
                                        @QueryParam("with_commits") String withCommits) {
        Repo repo = projects.visible(caller.get(), org, name).await().indefinitely();
        List<BranchView> all = content.branches(repo, EVERYTHING).data();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("total_branches", all.size());
        if (bool("with_commits", withCommits)) {
            Map<String, String> heads = new LinkedHashMap<>();
            all.forEach(b -> heads.put(b.name(), b.node()));
            body.put("branches", heads);
        } else {
            body.put("branches", all.stream().map(BranchView::name).toList());
        }
        return body;
    }

    @POST
    @Path("/{org}/{repo}/git/branch")
    public Uni<Map<String, Object>> createBranch(@PathParam("org") String org, @PathParam("repo") String name,
                                                 @HeaderParam("Content-Type") String contentType, String raw) {
        PagureInput in = PagureInput.parse(contentType, raw, mapper, REPEATABLE);
        String branch = in.required("branch");
        Caller who = caller.get();
        return projects.visible(who, org, name)
                .chain(repo -> projects.createBranch(who, repo, branch, blankToNull(in.get("from_branch")), blankToNull(in.get("from_commit"))))
                .replaceWith(Map.of("message", "Project branch was created"));
    }

    @GET
    @Path("/{org}/{repo}/git/tags")
    @Blocking
    public Map<String, Object> gitTags(@PathParam("org") String org, @PathParam("repo") String name,
                                       @QueryParam("with_commits") String withCommits) {
        Repo repo = projects.visible(caller.get(), org, name).await().indefinitely();
        List<TagView> all = content.tags(repo, EVERYTHING).data();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("total_tags", all.size());
        if (bool("with_commits", withCommits)) {
            Map<String, String> tags = new LinkedHashMap<>();
            all.forEach(t -> tags.put(t.name(), t.node()));
            body.put("tags", tags);
        } else {
            body.put("tags", all.stream().map(TagView::name).toList());
        }
        return body;
    }

    @GET
    @Path("/{org}/{repo}/git/urls")
    public Uni<Map<String, Object>> urls(@PathParam("org") String org, @PathParam("repo") String name) {
        return projects.visible(caller.get(), org, name).map(repo -> Map.of("total_urls", 2,
                "urls", Map.of("git", publicUrl.resolve("/" + repo.org() + "/" + repo.name() + ".git"),
                        "ssh", repos.sshUrl(repo.org(), repo.name()))));
    }

    @POST
    @Path("/{org}/{repo}/git/modifyacls")
    public Uni<Map<String, Object>> modifyAcls(@PathParam("org") String org, @PathParam("repo") String name,
                                               @HeaderParam("Content-Type") String contentType, String raw) {
        PagureInput in = PagureInput.parse(contentType, raw, mapper, REPEATABLE);
        String userType = in.required("user_type").toLowerCase(Locale.ROOT);
        if (!userType.equals("user") && !userType.equals("group")) {
            throw PagureException.invalid("user_type: must be 'user' or 'group', not '" + in.get("user_type") + "'");
        }
        String target = in.required("name");
        String acl = blankToNull(in.get("acl"));
        if (acl != null && !PagureProject.LEVELS.contains(acl.toLowerCase(Locale.ROOT))) {
            throw PagureException.invalid("acl: must be ticket, commit or admin (or empty to remove access), not '" + acl + "'");
        }
        Caller who = caller.get();
        requireAdmin(who);
        return projects.visible(who, org, name)
                .chain(repo -> projects.modifyAcl(who, repo, userType, target, acl == null ? null : acl.toLowerCase(Locale.ROOT)))
                .chain(projects::project).map(p -> view(p, who));
    }

    @POST
    @Path("/{org}/{repo}/git/generateacls")
    public Uni<Map<String, Object>> generateAcls(@PathParam("org") String org, @PathParam("repo") String name,
                                                 @HeaderParam("Content-Type") String contentType, String raw) {
        PagureInput in = PagureInput.parse(contentType, raw, mapper, REPEATABLE);
        boolean waitForIt = in.get("wait") == null || bool("wait", in.get("wait"));
        Caller who = caller.get();
        requireAdmin(who);
        return projects.visible(who, org, name).chain(repo -> {
            if (waitForIt) {
                return Uni.createFrom().item(Map.<String, Object>of("message", "Project ACLs generated", "note", GENERATE_ACLS_NOTE));
            }
            return projects.done(who, "generateacls", "Project ACLs generated")
                    .map(task -> Map.<String, Object>of("message", "Project ACL generation queued", "taskid", task.toString(),
                            "note", GENERATE_ACLS_NOTE));
        });
    }

    @GET
    @Path("/{org}/{repo}/watchers")
    public Uni<Map<String, Object>> watchers(@PathParam("org") String org, @PathParam("repo") String name) {
        return projects.visible(caller.get(), org, name).chain(projects::watchers).map(watchers -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("total_watchers", watchers.size());
            body.put("watchers", watchers);
            return body;
        });
    }

    @POST
    @Path("/{org}/{repo}/watchers/update")
    public Uni<Map<String, Object>> watch(@PathParam("org") String org, @PathParam("repo") String name,
                                          @HeaderParam("Content-Type") String contentType, String raw) {
        PagureInput in = PagureInput.parse(contentType, raw, mapper, REPEATABLE);
        String watcher = in.required("watcher");
        String rawStatus = in.required("status").strip();
        int status;
        try {
            status = Integer.parseInt(rawStatus);
        } catch (NumberFormatException e) {
            status = Integer.MIN_VALUE;
        }
        if (status < -1 || status > 3) {
            throw PagureException.invalid("status: must be -1 (reset), 0 (unwatch), 1 (issues and PRs), 2 (commits) or 3 (all), not '"
                    + rawStatus + "'");
        }
        Caller who = caller.get();
        who.requireUserId();
        if (!watcher.equalsIgnoreCase(who.login()) && !who.siteAdmin()) {
            throw new PagureException(403, "ENOTHIGHENOUGH", "you may only change your own watch status, not " + watcher + "'s");
        }
        int code = status;
        return projects.visible(who, org, name).chain(repo -> projects.watch(repo, who.login(), code))
                .replaceWith(Map.of("message", watchMessage(code), "status", "ok"));
    }

    static String watchMessage(int status) {
        return switch (status) {
            case -1 -> "Watch status reset";
            case 0 -> "You will not be notified of any changes on this project";
            case 1 -> "You are now watching issues and PRs on this project";
            case 2 -> "You are now watching commits on this project";
            default -> "You are now watching issues, PRs, and commits on this project";
        };
    }

    @GET
    @Path("/{org}/{repo}/options")
    public Uni<Map<String, Object>> options(@PathParam("org") String org, @PathParam("repo") String name) {
        Caller who = caller.get();
        requireAdmin(who);
        return projects.visible(who, org, name).chain(projects::project)
                .map(p -> Map.of("settings", PagureOptions.effective(p.data().settings()), "status", "ok"));
    }

    @POST
    @Path("/{org}/{repo}/options/update")
    public Uni<Map<String, Object>> updateOptions(@PathParam("org") String org, @PathParam("repo") String name,
                                                  @HeaderParam("Content-Type") String contentType, String raw) {
        PagureInput in = PagureInput.parse(contentType, raw, mapper, REPEATABLE);
        var settings = PagureOptions.parse(in.fields());
        Caller who = caller.get();
        requireAdmin(who);
        return projects.visible(who, org, name).call(repo -> projects.setOptions(repo, settings))
                .map(repo -> Map.of("message", "Edited successfully settings of repo: " + repo.org() + "/" + repo.name(), "status", "ok"));
    }

    @POST
    @Path("/{org}/{repo}/blockuser")
    public Uni<Map<String, Object>> block(@PathParam("org") String org, @PathParam("repo") String name,
                                          @HeaderParam("Content-Type") String contentType, String raw) {
        PagureInput in = PagureInput.parse(contentType, raw, mapper, REPEATABLE);
        List<String> names = new ArrayList<>();
        in.all("username").forEach(v -> {
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    names.add(part.strip());
                }
            }
        });
        Caller who = caller.get();
        requireAdmin(who);
        return projects.visible(who, org, name).chain(repo -> projects.block(who, repo, names))
                .replaceWith(Map.of("message", names.isEmpty() ? "User(s) unblocked" : "User(s) blocked"));
    }

    @GET
    @Path("/{org}/{repo}/tags")
    public Uni<Map<String, Object>> projectTags(@PathParam("org") String org, @PathParam("repo") String name,
                                                @QueryParam("pattern") String pattern) {
        return projects.visible(caller.get(), org, name).chain(projects::project).map(p -> {
            List<String> tags = p.data().tags().stream()
                    .filter(t -> pattern == null || pattern.isBlank() || t.toLowerCase(Locale.ROOT).startsWith(pattern.toLowerCase(Locale.ROOT)))
                    .sorted().toList();
            return Map.of("total_tags", tags.size(), "tags", tags);
        });
    }

    // ---- helpers --------------------------------------------------------------------------------

    private Map<String, Object> view(PagureProjectService.Project p, Caller viewer) {
        return PagureViews.project(p.forViewer(viewer), publicUrl, projects.defaultNamespace());
    }

    /**
     * Project administration: the gateway already requires the owner role (organization owners,
     * site admins and users with Pagure's admin ACL); this keeps the service safe on its own.
     */
    private static void requireAdmin(Caller who) {
        if (!who.isOwner()) {
            throw new PagureException(403, "ENOTHIGHENOUGH", "only the project's admins may do this");
        }
    }

    private static List<String> splitTags(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            for (String part : v.split(",")) {
                String tag = part.strip();
                if (tag.isEmpty()) {
                    continue;
                }
                if (tag.length() > 255) {
                    throw PagureException.invalid("tags: each tag may be at most 255 characters");
                }
                if (!out.contains(tag)) {
                    out.add(tag);
                }
            }
        }
        return out;
    }

    /** Pagure's form booleans: true/1/yes/on and false/0/no/off (any case); absent is false. */
    static boolean bool(String field, String raw) {
        if (raw == null || raw.isBlank()) {
            return false;
        }
        return switch (raw.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on", "y", "t" -> true;
            case "false", "0", "no", "off", "n", "f" -> false;
            default -> throw PagureException.invalid(field + ": '" + raw + "' is not a boolean (use true or false)");
        };
    }

    /** Pagure's pattern: '*' is the wildcard, anything else is literal; matched against the project name. */
    static String likePattern(String pattern) {
        StringBuilder like = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> like.append('%');
                case '%', '_', '\\' -> like.append('\\').append(c);
                default -> like.append(c);
            }
        }
        return like.toString();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
