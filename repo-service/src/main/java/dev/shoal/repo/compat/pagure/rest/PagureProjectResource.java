package dev.shoal.repo.compat.pagure.rest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.compat.pagure.PagurePagination;
import dev.shoal.platform.compat.pagure.PagureException;
import dev.shoal.platform.identity.Caller;
import dev.shoal.platform.identity.CurrentCaller;
import dev.shoal.repo.compat.pagure.client.OrgMembership;
import dev.shoal.repo.content.BranchView;
import dev.shoal.repo.content.TagView;
import dev.shoal.repo.content.service.ContentService;
import dev.shoal.repo.repo.CreateRepoRequest;
import dev.shoal.repo.repo.Repo;
import dev.shoal.repo.repo.service.RepoService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jboss.resteasy.reactive.RestForm;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Pagure API v0 project endpoints over the same {@link RepoService} and {@link ContentService} as
 * the Isurus API. Pagure's namespace is Shoal's organization. Errors raised here (and platform
 * refusals from the shared services) are answered in Pagure's shape by the platform mappers, by path.
 */
@Path("/api/0")
@Produces(MediaType.APPLICATION_JSON)
public class PagureProjectResource {

    /** Pagure's per_page ceiling and default for project listings. */
    private static final int MAX_PER_PAGE = 100;
    private static final int DEFAULT_PER_PAGE = 20;
    /** Pagure lists branches and tags unpaginated: one page larger than any repository's ref count. */
    private static final PageRequest EVERYTHING = new PageRequest(1, 1 << 30);

    private final RepoService repos;
    private final ContentService content;
    private final OrgMembership membership;
    private final CurrentCaller caller;
    private final ObjectMapper mapper;

    public PagureProjectResource(RepoService repos, ContentService content, OrgMembership membership, CurrentCaller caller,
                                 ObjectMapper mapper) {
        this.repos = repos;
        this.content = content;
        this.membership = membership;
        this.caller = caller;
        this.mapper = mapper;
    }

    /** Pagure also takes the new-project fields as JSON; unknown Pagure fields (url, avatar_email, wait…) are ignored. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record NewProject(String name, String description, String namespace, @JsonProperty("private") Object isPrivate) {
    }

    @GET
    @Path("/projects")
    public Uni<Map<String, Object>> projects(@QueryParam("pattern") String pattern, @QueryParam("namespace") String namespace,
                                             @QueryParam("owner") String owner, @QueryParam("short") String shortParam,
                                             @QueryParam("page") String page, @QueryParam("per_page") String perPage) {
        PageRequest request = PageRequest.of(page, perPage, DEFAULT_PER_PAGE, MAX_PER_PAGE);
        boolean isShort = bool("short", shortParam);
        // Shoal repositories are owned by their organization, so Pagure's owner filter names one too.
        if (namespace != null && owner != null && !namespace.equalsIgnoreCase(owner)) {
            throw PagureException.invalid("namespace and owner name different organizations; a Shoal project has one owner, its namespace");
        }
        String org = blankToNull(namespace != null ? namespace : owner);
        String like = pattern == null || pattern.isBlank() ? null : likePattern(pattern);
        return repos.listPublic(org, like, request).map(result -> {
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("fork", null);
            args.put("namespace", namespace);
            args.put("owner", owner);
            args.put("page", request.page());
            args.put("pattern", pattern);
            args.put("per_page", request.perPage());
            args.put("short", isShort);
            args.put("tags", List.of());
            args.put("username", null);
            Map<String, String> keep = new LinkedHashMap<>();
            keep.put("pattern", pattern);
            keep.put("namespace", namespace);
            keep.put("owner", owner);
            keep.put("short", shortParam);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("args", args);
            body.put("pagination", PagurePagination.of(PagureViews.base(repos.publicUrl()) + "/api/0/projects", keep, request,
                    result.pagination().total()));
            body.put("projects", result.data().stream()
                    .map(repo -> isShort ? PagureViews.shortProject(repo) : PagureViews.project(repo, repos.publicUrl())).toList());
            body.put("total_projects", result.pagination().total());
            return body;
        });
    }

    @POST
    @Path("/new")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Map<String, Object>> createFromForm(@RestForm String name, @RestForm String description,
                                                   @RestForm String namespace, @RestForm("private") String isPrivate) {
        return create(name, description, namespace, bool("private", isPrivate));
    }

    @POST
    @Path("/new")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Map<String, Object>> createFromJson(String raw) {
        NewProject body = readNewProject(raw);
        if (body == null) {
            throw PagureException.invalid("send the project as a form or a JSON object with name and description");
        }
        return create(body.name(), body.description(), body.namespace(),
                body.isPrivate() != null && bool("private", String.valueOf(body.isPrivate())));
    }

    private Uni<Map<String, Object>> create(String name, String description, String namespace, boolean isPrivate) {
        if (name == null || name.isBlank()) {
            throw PagureException.invalid("name: this field is required");
        }
        if (description == null) {
            throw PagureException.invalid("description: this field is required");
        }
        // Every Shoal repository belongs to an organization: Pagure's user-level projects have no equivalent.
        if (namespace == null || namespace.isBlank()) {
            throw PagureException.invalid("namespace: this field is required (the organization to create the project in)");
        }
        Caller who = caller.get();
        long userId = who.requireUserId();
        return membership.of(namespace, userId).chain(found -> {
            if (found.isEmpty()) {
                throw PagureException.invalid("namespace: no organization named '" + namespace + "'");
            }
            String role = found.get().role();
            if (!who.siteAdmin() && !Caller.OWNER.equals(role) && !Caller.MEMBER.equals(role)) {
                throw new PagureException(403, "ENOTHIGHENOUGH", "only members of " + namespace + " may create projects in it");
            }
            return repos.create(who, found.get().orgId(), namespace, new CreateRepoRequest(name, description, isPrivate, null));
        }).map(repo -> Map.<String, Object>of("message", "Project \"" + repo.org() + "/" + repo.name() + "\" created"));
    }

    @GET
    @Path("/{org}/{repo}")
    public Uni<Map<String, Object>> project(@PathParam("org") String org, @PathParam("repo") String name) {
        return repos.visible(caller.get(), org, name).map(repo -> PagureViews.project(repo, repos.publicUrl()));
    }

    @GET
    @Path("/{org}/{repo}/git/branches")
    @Blocking
    public Map<String, Object> branches(@PathParam("org") String org, @PathParam("repo") String name,
                                        @QueryParam("with_commits") String withCommits) {
        Repo repo = repos.visibleNow(caller.get(), org, name);
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

    @GET
    @Path("/{org}/{repo}/git/tags")
    @Blocking
    public Map<String, Object> tags(@PathParam("org") String org, @PathParam("repo") String name,
                                    @QueryParam("with_commits") String withCommits) {
        Repo repo = repos.visibleNow(caller.get(), org, name);
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
        // Shoal serves git over smart HTTP only; Pagure's "ssh" URL has no counterpart.
        return repos.visible(caller.get(), org, name).map(repo -> Map.of("total_urls", 1,
                "urls", Map.of("git", PagureViews.base(repos.publicUrl()) + "/" + repo.org() + "/" + repo.name() + ".git")));
    }

    /**
     * Read here rather than by the framework: a body Jackson cannot read would otherwise fail before
     * this class, in the Isurus error shape instead of Pagure's.
     */
    private NewProject readNewProject(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return mapper.readValue(raw, NewProject.class);
        } catch (JsonProcessingException e) {
            throw PagureException.invalid("the body is not a JSON object with name, description, namespace "
                    + "and private: send it as a form or as such an object");
        }
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
