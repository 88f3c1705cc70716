package dev.shoal.gateway.compat.pagure.rest;

import dev.shoal.gateway.compat.pagure.PagureActivity;
import dev.shoal.gateway.compat.pagure.PagureGroup;
import dev.shoal.gateway.compat.pagure.service.ActivityVisibility;
import dev.shoal.gateway.compat.pagure.service.ActivityVisibility.Target;
import dev.shoal.gateway.compat.pagure.service.PagureDirectory;
import dev.shoal.gateway.compat.pagure.service.PagureProjects;
import dev.shoal.gateway.user.User;
import dev.shoal.gateway.user.service.UserService;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.compat.pagure.PagureException;
import dev.shoal.platform.compat.pagure.PagurePagination;
import dev.shoal.platform.config.PublicUrl;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.identity.CurrentCaller;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Pagure API v0 users and groups. A Pagure group is a Shoal organization (its members are the
 * group's members, its first owner the creator; its projects are the organization's own plus those
 * it holds a group ACL on). A user's activity is what the audit log recorded: every change the user
 * made through the gateway that succeeded, less what it did on private repositories the viewer may
 * not read (those would reveal the repositories' names and activity).
 */
@Path("/api/0")
@Produces(MediaType.APPLICATION_JSON)
public class PagureUsersResource {

    private static final int DEFAULT_PER_PAGE = 20;
    private static final int MAX_PER_PAGE = 100;

    private final PagureDirectory directory;
    private final UserService users;
    private final PagureProjects projects;
    private final ActivityVisibility visibility;
    private final CurrentCaller caller;
    private final String publicUrl;

    public PagureUsersResource(PagureDirectory directory, UserService users, PagureProjects projects,
                               ActivityVisibility visibility, CurrentCaller caller,
                               PublicUrl publicUrl) {
        this.visibility = visibility;
        this.caller = caller;
        this.directory = directory;
        this.users = users;
        this.projects = projects;
        this.publicUrl = publicUrl.base();
    }

    @GET
    @Path("/users")
    public Uni<Map<String, Object>> users(@QueryParam("pattern") String pattern) {
        return directory.usernames(prefix(pattern)).map(names -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("total_users", names.size());
            body.put("users", names);
            return body;
        });
    }

    @GET
    @Path("/user/{username}")
    public Uni<Map<String, Object>> user(@PathParam("username") String username, @QueryParam("repopage") String repoPage,
                                         @QueryParam("forkpage") String forkPage, @QueryParam("per_page") String perPage) {
        PageRequest repos = page("repopage", repoPage, perPage);
        PageRequest forks = page("forkpage", forkPage, perPage);
        return user(username).chain(user -> projects.list(Map.of("owner", user.username(), "fork", "false"), repos.page(), repos.perPage())
                .chain(own -> projects.list(Map.of("owner", user.username(), "fork", "true"), forks.page(), forks.perPage())
                        .map(forked -> {
                            String url = publicUrl + "/api/0/user/" + user.username();
                            Map<String, Object> body = new LinkedHashMap<>();
                            body.put("forks", forked.projects());
                            body.put("forks_pagination", pagination(url, "forkpage", forks, forked.total()));
                            body.put("repos", own.projects());
                            body.put("repos_pagination", pagination(url, "repopage", repos, own.total()));
                            body.put("user", userJson(user));
                            return body;
                        })));
    }

    @GET
    @Path("/user/{username}/activity/stats")
    public Uni<Map<String, Object>> activityStats(@PathParam("username") String username, @QueryParam("format") String format) {
        boolean timestamps = format != null && format.equalsIgnoreCase("timestamp");
        if (format != null && !timestamps && !format.equalsIgnoreCase("isoformat")) {
            throw PagureException.invalid("format: must be 'timestamp' or 'isoformat', not '" + format + "'");
        }
        Instant since = LocalDate.now(ZoneOffset.UTC).minusYears(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        var viewer = caller.get();
        return user(username).chain(user -> directory.activityByDay(user.id(), since))
                .chain(counts -> visibility.visible(viewer, counts, c -> new Target(c.method(), c.route(), c.path())))
                .map(counts -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    counts.forEach(c -> body.merge(timestamps ? String.valueOf(c.day().atStartOfDay().toEpochSecond(ZoneOffset.UTC))
                            : c.day().toString(), c.count(), (a, b) -> (Long) a + (Long) b));
                    return body;
                });
    }

    @GET
    @Path("/user/{username}/activity/{date}")
    public Uni<Map<String, Object>> activityOn(@PathParam("username") String username, @PathParam("date") String date,
                                               @QueryParam("grouped") String grouped) {
        LocalDate day;
        try {
            day = LocalDate.parse(date);
        } catch (DateTimeParseException e) {
            throw new PagureException(400, "ETIMESTAMP", "date: '" + date + "' is not a date in ISO format (YYYY-MM-DD)");
        }
        if (grouped != null && !List.of("true", "false", "1", "0", "yes", "no").contains(grouped.toLowerCase(Locale.ROOT))) {
            throw PagureException.invalid("grouped: '" + grouped + "' is not a boolean (use true or false)");
        }
        var viewer = caller.get();
        return user(username).chain(user -> directory.activityOn(user.id(), day)
                .chain(all -> visibility.visible(viewer, all, a -> new Target(a.method(), a.route(), a.path())))
                .map(list -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("activities", list.stream().map(a -> activity(user, day, a)).toList());
            body.put("date", day.toString());
            return body;
        }));
    }

    @GET
    @Path("/groups")
    public Uni<Map<String, Object>> groups(@QueryParam("pattern") String pattern, @QueryParam("page") String page,
                                           @QueryParam("per_page") String perPage) {
        PageRequest request = PageRequest.of(page, perPage, DEFAULT_PER_PAGE, MAX_PER_PAGE);
        String like = prefix(pattern);
        return directory.groups(like, request.offset(), request.perPage())
                .chain(list -> directory.countGroups(like).map(total -> {
                    Map<String, String> keep = new LinkedHashMap<>();
                    keep.put("pattern", pattern);
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("total_groups", total);
                    body.put("pagination", PagurePagination.of(publicUrl + "/api/0/groups", keep, request, total));
                    body.put("groups", list.stream().map(PagureGroup::name).toList());
                    return body;
                }));
    }

    @GET
    @Path("/group/{group}")
    public Uni<Map<String, Object>> group(@PathParam("group") String name, @QueryParam("projects") String withProjects,
                                          @QueryParam("acl") String acl) {
        boolean listProjects = withProjects != null && List.of("1", "true", "yes", "y").contains(withProjects.toLowerCase(Locale.ROOT));
        if (acl != null && !List.of("admin", "commit", "ticket").contains(acl)) {
            throw PagureException.invalid("acl: must be admin, commit or ticket, not '" + acl + "'");
        }
        return directory.group(name).chain(group -> {
            if (group == null) {
                throw new PagureException(404, "ENOGROUP", "Group not found");
            }
            return directory.members(group.id()).chain(members -> directory.creator(group.id()).chain(creator -> {
                Uni<Object> projectList = listProjects ? allProjects(group.name(), acl).map(p -> (Object) p) : Uni.createFrom().nullItem();
                Uni<Object> creatorJson = creator == null ? Uni.createFrom().nullItem()
                        : users.get(creator).map(u -> (Object) creatorJson(u));
                return projectList.chain(list -> creatorJson.map(who -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("creator", who);
                    body.put("date_created", String.valueOf(group.createdAt().getEpochSecond()));
                    body.put("description", group.description());
                    body.put("display_name", group.name());
                    body.put("group_type", "user");
                    body.put("members", members);
                    body.put("name", group.name());
                    if (listProjects) {
                        body.put("projects", list);
                    }
                    return body;
                }));
            }));
        });
    }

    /** Every project of the group, page by page (Pagure's group page lists them whole). */
    private Uni<List<Object>> allProjects(String group, String acl) {
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("group", group);
        filters.put("acl", acl);
        return collect(filters, 1, new java.util.ArrayList<>());
    }

    private Uni<List<Object>> collect(Map<String, String> filters, int page, List<Object> sofar) {
        return projects.list(filters, page, MAX_PER_PAGE).chain(found -> {
            sofar.addAll(found.projects().getList());
            boolean more = found.projects().size() == MAX_PER_PAGE && sofar.size() < found.total() && page < 50;
            return more ? collect(filters, page + 1, sofar) : Uni.createFrom().item(sofar);
        });
    }

    private Uni<User> user(String username) {
        return users.get(username)
                .onFailure(NotFoundException.class).transform(e -> new PagureException(404, "ENOUSER", "No such user found"));
    }

    private static Map<String, Object> userJson(User user) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("avatar_url", user.avatarUrl() == null || user.avatarUrl().isBlank() ? null : user.avatarUrl());
        json.put("fullname", user.displayName() == null || user.displayName().isBlank() ? user.username() : user.displayName());
        json.put("name", user.username());
        return json;
    }

    /** A group's creator as Pagure's sample shows it: the user with {@code default_email} and {@code emails}. */
    private static Map<String, Object> creatorJson(User user) {
        Map<String, Object> json = userJson(user);
        String email = user.email() == null || user.email().isBlank() ? null : user.email();
        json.put("default_email", email);
        json.put("emails", email == null ? List.of() : List.of(email));
        return json;
    }

    private Map<String, Object> activity(User user, LocalDate day, PagureActivity a) {
        String description = user.username() + " " + a.method() + " " + a.path();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("date", day.toString());
        json.put("date_created", String.valueOf(a.at().getEpochSecond()));
        json.put("description", description);
        json.put("description_mk", "<p>" + escape(description) + "</p>");
        json.put("id", a.id());
        json.put("route", a.route());
        json.put("user", Map.of("fullname", userJson(user).get("fullname"), "name", user.username()));
        return json;
    }

    /** Pagure's user-page pagination: the page key is repopage or forkpage. */
    private static Map<String, Object> pagination(String url, String key, PageRequest page, long total) {
        Map<String, Object> standard = PagurePagination.of(url, Map.of(), page, total);
        Map<String, Object> out = new LinkedHashMap<>();
        standard.forEach((k, v) -> {
            Object value = v instanceof String link ? link.replace("&page=", "&" + key + "=") : v;
            out.put(k.equals("page") ? key : k, value);
        });
        return out;
    }

    private static PageRequest page(String name, String page, String perPage) {
        try {
            return PageRequest.of(page, perPage, DEFAULT_PER_PAGE, MAX_PER_PAGE);
        } catch (RuntimeException e) {
            throw PagureException.invalid(name + "/per_page: " + e.getMessage());
        }
    }

    /** Pagure's pattern: the starting letters, with '*' as a wildcard; null for no filter. */
    static String prefix(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            return null;
        }
        StringBuilder like = new StringBuilder();
        for (char c : pattern.strip().toCharArray()) {
            switch (c) {
                case '*' -> like.append('%');
                case '%', '_', '\\' -> like.append('\\').append(c);
                default -> like.append(c);
            }
        }
        return like.append('%').toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
