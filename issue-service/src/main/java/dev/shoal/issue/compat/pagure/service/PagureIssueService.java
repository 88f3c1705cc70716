package dev.shoal.issue.compat.pagure.service;

import dev.shoal.platform.client.UserDirectory;
import dev.shoal.platform.compat.pagure.PagureInput;
import dev.shoal.issue.compat.pagure.PagureIssue;
import dev.shoal.issue.compat.pagure.client.OrgRoles;
import dev.shoal.issue.compat.pagure.repository.PagureIssueRepository;
import dev.shoal.issue.compat.pagure.repository.PagureIssueRepository.Filter;
import dev.shoal.issue.issue.Issue;
import dev.shoal.issue.issue.IssueRow;
import dev.shoal.issue.issue.repository.IssueRepository;
import dev.shoal.issue.issue.service.IssueEvents;
import dev.shoal.issue.issue.service.IssueService;
import dev.shoal.issue.issue.service.IssueViews;
import dev.shoal.issue.repo.RepoRecord;
import dev.shoal.issue.repo.repository.RepoRecords;
import dev.shoal.issue.repo.service.RepoScopes;
import dev.shoal.issue.tracker.TrackerSettings;
import dev.shoal.issue.tracker.repository.TrackerRepository;
import dev.shoal.issue.user.UserProfile;
import dev.shoal.issue.user.Users;
import dev.shoal.issue.user.repository.UserRepository;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.compat.pagure.PagureException;
import dev.shoal.platform.event.EventType;
import dev.shoal.platform.event.EventTypes;
import dev.shoal.platform.event.schema.IssueEvent;
import dev.shoal.platform.identity.Caller;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Pagure's issue operations over the same tables, repositories, views and events as the Isurus
 * issue API: an issue created or closed here is the same issue there (same number, title, state).
 * Pagure's {@code Open} is Shoal's new/open; {@code Closed} is closed, with the close status kept beside it.
 */
@ApplicationScoped
public class PagureIssueService {

    /** Pagure's default tag colour (DeepSkyBlue) for tags created on first use. */
    static final String TAG_COLOR = "#00bfff";
    static final int MAX_TAGS = 20;

    public record NewIssue(String title, String content, boolean isPrivate, String priority, String milestone,
                           List<String> tags, String assignee) {
    }

    /** Raw Pagure list filters, as given. */
    public record ListQuery(String status, List<String> tags, String assignee, String author, List<String> milestones,
                            String priority, String noStones, String since, String order) {
    }

    public record Listed(List<PagureIssue> issues, long total) {
    }

    public record Comment(Row row, UserProfile author) {
    }

    public record UserIssues(Listed assigned, Listed created) {
    }

    private final Pool pool;
    private final RepoScopes repos;
    private final RepoRecords repoRecords;
    private final IssueRepository issues;
    private final IssueViews views;
    private final IssueEvents events;
    private final IssueService issueService;
    private final PagureIssueRepository pagure;
    private final TrackerRepository tracker;
    private final UserRepository users;
    private final UserDirectory directory;
    private final OrgRoles orgRoles;

    public PagureIssueService(Pool pool, RepoScopes repos, RepoRecords repoRecords, IssueRepository issues, IssueViews views,
                              IssueEvents events, IssueService issueService, PagureIssueRepository pagure,
                              TrackerRepository tracker, UserRepository users, UserDirectory directory, OrgRoles orgRoles) {
        this.pool = pool;
        this.repos = repos;
        this.repoRecords = repoRecords;
        this.issues = issues;
        this.views = views;
        this.events = events;
        this.issueService = issueService;
        this.pagure = pagure;
        this.tracker = tracker;
        this.users = users;
        this.directory = directory;
        this.orgRoles = orgRoles;
    }

    /**
     * Opens an issue. As in Pagure, the triage fields (assignee, priority, milestone, tags) are taken
     * only from those with ticket access (organization members); anyone else's are left out.
     */
    public Uni<PagureIssue> create(Caller caller, String org, String name, NewIssue asked) {
        caller.requireUserId();
        NewIssue in = caller.isMember() ? asked
                : new NewIssue(asked.title(), asked.content(), asked.isPrivate(), null, null, List.of(), null);
        if (in.title() == null || in.title().isBlank()) {
            throw PagureException.invalid("title: This field is required.");
        }
        if (in.title().strip().length() > 255) {
            throw PagureException.invalid("title: must be at most 255 characters");
        }
        if (in.content() == null || in.content().isBlank()) {
            throw PagureException.invalid("issue_content: This field is required.");
        }
        if (in.tags().size() > MAX_TAGS || in.tags().stream().anyMatch(t -> t.length() > 100)) {
            throw PagureException.invalid("tag: at most " + MAX_TAGS + " tags of 1-100 characters");
        }
        Uni<Optional<UserProfile>> assignee = in.assignee() == null ? Uni.createFrom().item(Optional.empty())
                : directory.byName(in.assignee()).map(UserProfile::of).map(found -> {
                    if (found.isEmpty()) {
                        throw new PagureException(404, "ENOUSER", "No such user found: " + in.assignee());
                    }
                    return found;
                });
        // Pagure's words become the native opening (priority weight, milestone id); IssueService opens it.
        return assignee.chain(who -> repos.forWrite(caller, org, name).chain(repo -> tracker.get(pool, repo.id()).chain(settings -> {
            Integer priority = null;
            if (in.priority() != null) {
                priority = settings.priorityWeight(in.priority());
                if (priority == null) {
                    throw PagureException.invalid("priority: Not a valid choice (" + String.join(", ",
                            settings.priorities().values()) + ")");
                }
            }
            Integer weight = priority;
            Uni<Long> milestone = in.milestone() == null ? Uni.createFrom().nullItem()
                    : pagure.milestoneByTitle(pool, repo.id(), in.milestone()).map(found -> found.orElseThrow(() ->
                            PagureException.invalid("milestone: Not a valid choice: no milestone '" + in.milestone()
                                    + "' in this project")));
            return milestone.chain(milestoneId -> issueService.create(caller, org, name, new IssueService.Opening(in.title().strip(),
                            in.content(), in.isPrivate(), weight, milestoneId, in.tags(), TAG_COLOR, who.orElse(null))))
                    .chain(issue -> issues.find(pool, repo.id(), issue.number(), false))
                    .chain(row -> render(pool, List.of(row.orElseThrow()), true)).map(list -> list.get(0));
        })));
    }

    public Uni<Listed> list(Caller caller, String org, String name, ListQuery q, PageRequest page) {
        return repos.forRead(caller, org, name).chain(repo -> tracker.get(pool, repo.id()).chain(settings -> {
            Filter filter = filter(q, settings, repo.id(), caller, caller.isMember(), Set.of(), null, null);
            return listed(filter, page);
        }));
    }

    public Uni<PagureIssue> get(Caller caller, String org, String name, long number) {
        return repos.forRead(caller, org, name).chain(repo -> visible(pool, caller, repo, number)
                .chain(row -> render(pool, List.of(row), true)).map(list -> list.get(0)));
    }

    public Uni<Comment> comment(Caller caller, String org, String name, long number, long commentId) {
        return repos.forRead(caller, org, name).chain(repo -> visible(pool, caller, repo, number)
                .chain(row -> pagure.comment(pool, row.id(), commentId))
                .chain(found -> {
                    Row row = found.orElseThrow(() -> new PagureException(404, "ENOCOMMENT", "Comment not found"));
                    Long author = row.getLong("author_id");
                    return users.byIds(pool, author == null ? Set.of() : Set.of(author))
                            .map(known -> new Comment(row, Users.show(known, author, row.getString("author_login"))));
                }));
    }

    public Uni<Void> addComment(Caller caller, String org, String name, long number, String comment) {
        if (comment == null || comment.isBlank()) {
            throw PagureException.invalid("comment: This field is required.");
        }
        return repos.forRead(caller, org, name).chain(repo -> visible(pool, caller, repo, number))
                .chain(() -> issueService.comment(caller, org, name, number, comment)).replaceWithVoid();
    }

    /**
     * Pagure's status change: {@code Open}, {@code Closed} (with an optional close status from the
     * project's list), or a close status alone. Members of the organization and the issue's author may.
     */
    public Uni<Void> status(Caller caller, String org, String name, long number, String status, String closeStatus) {
        caller.requireUserId();
        if (status == null || status.isBlank()) {
            throw PagureException.invalid("status: This field is required.");
        }
        return repos.forRead(caller, org, name).chain(repo -> pool.withTransaction(tx -> tracker.get(tx, repo.id())
                .chain(settings -> locked(tx, caller, repo, number).chain(current -> pagure.extras(tx, List.of(current.id()))
                        .chain(extras -> {
                    String currentReason = extras.get(current.id()).closeStatus();
                    if (!caller.isMember() && !java.util.Objects.equals(current.authorId(), caller.userId())) {
                        throw new PagureException(403, "EISSUENOTALLOWED", "You are not allowed to edit this issue");
                    }
                    String state;
                    String reason = null;
                    if (status.equalsIgnoreCase("Open")) {
                        state = Issue.CLOSED.equals(current.state()) ? Issue.OPEN : current.state();
                    } else if (status.equalsIgnoreCase("Closed")) {
                        state = Issue.CLOSED;
                        reason = closeStatus == null || closeStatus.isBlank() ? null : known(settings, closeStatus);
                    } else if (settings.closeStatus(status) != null) {
                        state = Issue.CLOSED;
                        reason = settings.closeStatus(status);
                    } else {
                        throw PagureException.invalid("status: Not a valid choice; use Open, Closed or one of the close statuses "
                                + String.join(", ", settings.closeStatuses()));
                    }
                    String closeReason = reason;
                    boolean closing = Issue.CLOSED.equals(state);
                    if (state.equals(current.state()) && (!closing || java.util.Objects.equals(closeReason, currentReason))) {
                        return Uni.createFrom().voidItem();
                    }
                    Instant closedAt = closing ? (current.closedAt() == null ? Instant.now() : current.closedAt()) : null;
                    IssueRow next = new IssueRow(current.id(), current.repoId(), current.number(), current.title(), current.body(),
                            state, current.authorId(), current.authorLogin(), current.isPinned(), current.milestoneId(), null, null,
                            current.createdAt(), current.updatedAt(), closedAt);
                    EventType<IssueEvent> type = state.equals(current.state()) ? EventTypes.ISSUE_UPDATED
                            : closing ? EventTypes.ISSUE_CLOSED
                            : Issue.CLOSED.equals(current.state()) ? EventTypes.ISSUE_REOPENED : EventTypes.ISSUE_UPDATED;
                    return issues.update(tx, next)
                            .call(() -> closing ? pagure.closeStatus(tx, current.id(), closeReason, caller.userId(), caller.login())
                                    : Uni.createFrom().voidItem())
                            .chain(() -> announce(tx, caller, repo, number, type)).replaceWithVoid();
                })))));
    }

    public Uni<Void> milestone(Caller caller, String org, String name, long number, String milestone) {
        requireTicketAccess(caller);
        return repos.forRead(caller, org, name).chain(repo -> pool.withTransaction(tx -> locked(tx, caller, repo, number)
                .chain(current -> (milestone == null || milestone.isBlank() ? Uni.createFrom().item((Long) null)
                        : pagure.milestoneByTitle(tx, repo.id(), milestone).map(found -> found.orElseThrow(() ->
                                PagureException.invalid("milestone: Not a valid choice: no milestone '" + milestone + "' in this project"))))
                        .chain(milestoneId -> {
                            if (java.util.Objects.equals(milestoneId, current.milestoneId())) {
                                return Uni.createFrom().voidItem();
                            }
                            IssueRow next = new IssueRow(current.id(), current.repoId(), current.number(), current.title(),
                                    current.body(), current.state(), current.authorId(), current.authorLogin(), current.isPinned(),
                                    milestoneId, null, null, current.createdAt(), current.updatedAt(), current.closedAt());
                            return issues.update(tx, next).chain(() -> announce(tx, caller, repo, number, EventTypes.ISSUE_UPDATED))
                                    .replaceWithVoid();
                        }))));
    }

    /** Pagure has one assignee: it replaces Shoal's list; an empty assignee unassigns. Returns whether someone is assigned now. */
    public Uni<Boolean> assign(Caller caller, String org, String name, long number, String assignee) {
        requireTicketAccess(caller);
        if (assignee == null || assignee.isBlank()) {
            return issueService.setAssignees(caller, org, name, number, List.of()).replaceWith(false);
        }
        return directory.byName(assignee).map(UserProfile::of).chain(found -> {
            if (found.isEmpty()) {
                throw new PagureException(404, "ENOUSER", "No such user found: " + assignee);
            }
            return issueService.setAssignees(caller, org, name, number, List.of(assignee)).replaceWith(true);
        });
    }

    public Uni<Boolean> subscribe(Caller caller, String org, String name, long number, boolean subscribe) {
        long me = caller.requireUserId();
        return repos.forRead(caller, org, name).chain(repo -> pool.withTransaction(tx -> locked(tx, caller, repo, number)
                .chain(current -> pagure.subscribe(tx, current.id(), me, caller.login(), subscribe))));
    }

    public Uni<List<String>> subscribers(Caller caller, String org, String name, long number) {
        return repos.forRead(caller, org, name).chain(repo -> visible(pool, caller, repo, number))
                .chain(row -> pagure.subscribers(pool, row.id()));
    }

    /** Sets custom fields by name; a null or empty value resets one. Returns one message per field, in order. */
    public Uni<List<Map<String, String>>> custom(Caller caller, String org, String name, long number, Map<String, String> values) {
        requireTicketAccess(caller);
        if (values.isEmpty()) {
            throw PagureException.invalid("send at least one custom field: name=value");
        }
        return repos.forRead(caller, org, name).chain(repo -> pool.withTransaction(tx -> locked(tx, caller, repo, number)
                .chain(current -> tracker.keys(tx, repo.id()).chain(keys -> {
                    List<Uni<Map<String, String>>> steps = new ArrayList<>();
                    for (Map.Entry<String, String> entry : values.entrySet()) {
                        TrackerRepository.KeyRow key = keys.stream().filter(k -> k.name().equals(entry.getKey())).findFirst()
                                .orElseThrow(() -> PagureException.invalid("Invalid custom field submitted, the field '" + entry.getKey()
                                        + "' is not defined in this project (defined: " + String.join(", ",
                                        keys.stream().map(TrackerRepository.KeyRow::name).toList()) + ")"));
                        String value = entry.getValue() == null || entry.getValue().isBlank() ? null : checkValue(key, entry.getValue().strip());
                        steps.add(pagure.setCustom(tx, current.id(), key.id(), value).map(previous -> Map.of(key.name(),
                                message(key.name(), value, previous.orElse(null)))));
                    }
                    return chainAll(steps).call(messages -> issues.touch(tx, current.id())
                            .chain(() -> announce(tx, caller, repo, number, EventTypes.ISSUE_UPDATED)));
                }))));
    }

    public Uni<UserIssues> userIssues(Caller caller, String username, ListQuery q, PageRequest page, boolean assigned,
                                      boolean created) {
        return directory.byName(username).map(UserProfile::of).chain(found -> {
            UserProfile user = found.orElseThrow(() -> new PagureException(404, "ENOUSER", "No such user found"));
            return pagure.privateOrgsOf(pool, user.id())
                    .chain(orgs -> caller.siteAdmin() ? Uni.createFrom().item(Set.copyOf(orgs))
                            : caller.userId() == null ? Uni.createFrom().item(Set.<String>of()) : orgRoles.memberOf(caller.userId(), orgs))
                    .chain(memberOrgs -> {
                        Filter assignedFilter = filter(q, TrackerSettings.defaults(), null, caller, caller.siteAdmin(), memberOrgs,
                                null, user.id());
                        Filter createdFilter = filter(q, TrackerSettings.defaults(), null, caller, caller.siteAdmin(), memberOrgs,
                                user.id(), null);
                        Uni<Listed> a = assigned ? listed(assignedFilter, page) : Uni.createFrom().item(new Listed(List.of(), 0));
                        Uni<Listed> c = created ? listed(createdFilter, page) : Uni.createFrom().item(new Listed(List.of(), 0));
                        return a.chain(x -> c.map(y -> new UserIssues(x, y)));
                    });
        });
    }

    private Uni<Listed> listed(Filter filter, PageRequest page) {
        return pagure.page(pool, filter, page.perPage(), page.offset())
                .chain(result -> render(pool, result.rows(), false).map(list -> new Listed(list, result.total())));
    }

    private Filter filter(ListQuery q, TrackerSettings settings, Long repoId, Caller caller, boolean member, Set<String> memberOrgs,
                          Long authorId, Long assigneeId) {
        String status = q.status() == null || q.status().isBlank() ? "Open" : q.status().strip();
        String kind;
        String closeStatus = null;
        if (status.equalsIgnoreCase("open")) {
            kind = "open";
        } else if (status.equalsIgnoreCase("closed")) {
            kind = "closed";
        } else if (status.equalsIgnoreCase("all")) {
            kind = "all";
        } else if (repoId == null || settings.closeStatus(status) != null) {
            kind = "close_status";
            closeStatus = status;
        } else {
            throw PagureException.invalid("status: Not a valid choice; use Open, Closed, all or one of the close statuses "
                    + String.join(", ", settings.closeStatuses()));
        }
        List<String> tags = new ArrayList<>();
        List<String> notTags = new ArrayList<>();
        for (String raw : q.tags()) {
            for (String tag : raw.split(",")) {
                String t = tag.strip();
                if (t.startsWith("!") && t.length() > 1) {
                    notTags.add(t.substring(1));
                } else if (!t.isEmpty() && !t.equals("!")) {
                    tags.add(t);
                }
            }
        }
        Integer priority = null;
        if (q.priority() != null && !q.priority().isBlank()) {
            priority = settings.priorityWeight(q.priority());
            if (priority == null) {
                try {
                    priority = Integer.valueOf(q.priority().strip());
                } catch (NumberFormatException e) {
                    throw PagureException.invalid("priority: Invalid priority submitted: " + q.priority());
                }
            }
        }
        Boolean noStones = q.noStones() == null || q.noStones().isBlank() ? null : PagureInput.bool("no_stones", q.noStones());
        String order = q.order() == null || q.order().isBlank() ? "desc" : q.order().strip().toLowerCase();
        if (!order.equals("asc") && !order.equals("desc")) {
            throw PagureException.invalid("order: must be asc or desc, got '" + q.order() + "'");
        }
        return new Filter(repoId, kind, closeStatus, tags, notTags, blankToNull(q.assignee()), blankToNull(q.author()),
                q.milestones().stream().filter(m -> !m.isBlank()).toList(), priority, noStones, since(q.since()),
                order.equals("asc"), authorId, assigneeId, caller.userId(), member, memberOrgs);
    }

    /** Pagure's {@code since}: unix seconds or YYYY-MM-DD. */
    static Instant since(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String value = raw.strip();
        if (value.matches("\\d{1,12}")) {
            return Instant.ofEpochSecond(Long.parseLong(value));
        }
        try {
            return LocalDate.parse(value).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new PagureException(400, "ETIMESTAMP", "Invalid timestamp format: since must be unix seconds or YYYY-MM-DD");
        }
    }

    /** Adds to rendered issues what Pagure shows beyond Isurus; profiles of closers looked up in one query. */
    private Uni<List<PagureIssue>> render(SqlClient client, List<IssueRow> rows, boolean withComments) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Long> ids = rows.stream().map(IssueRow::id).toList();
        Uni<List<Issue>> base = withComments && rows.size() == 1
                ? views.one(client, rows.get(0), true).map(List::of) : views.page(client, rows);
        return base.chain(list -> pagure.extras(client, ids).chain(extras -> pagure.customFields(client, ids).chain(custom -> {
            Set<Long> closers = new HashSet<>();
            extras.values().forEach(e -> {
                if (e.closedById() != null) {
                    closers.add(e.closedById());
                }
            });
            return users.byIds(client, closers).map(known -> {
                List<PagureIssue> result = new ArrayList<>(list.size());
                for (Issue issue : list) {
                    var extra = extras.get(issue.id());
                    UserProfile closedBy = extra.closedById() == null && extra.closedByLogin() == null ? null
                            : Users.show(known, extra.closedById(), extra.closedByLogin());
                    result.add(new PagureIssue(issue, extra, closedBy, custom.getOrDefault(issue.id(), List.of())));
                }
                return result;
            });
        })));
    }

    private Uni<PagureIssue> announce(SqlConnection tx, Caller caller, RepoRecord repo, long number, EventType<IssueEvent> type) {
        return issues.find(tx, repo.id(), number, false)
                .chain(row -> views.one(tx, row.orElseThrow(), true)
                        .call(issue -> events.append(tx, type, caller, repo, issue, null))
                        .chain(issue -> render(tx, List.of(row.get()), true)).map(list -> list.get(0)));
    }

    /** The issue, if this caller may see it: private issues only for members, their author and assignees. */
    private Uni<IssueRow> visible(SqlClient client, Caller caller, RepoRecord repo, long number) {
        return issues.find(client, repo.id(), number, false).chain(found -> {
            IssueRow row = found.orElseThrow(() -> new PagureException(404, "ENOISSUE", "Issue not found"));
            return mayView(client, caller, row).map(ok -> {
                if (!ok) {
                    throw new PagureException(404, "ENOISSUE", "Issue not found");
                }
                return row;
            });
        });
    }

    private Uni<IssueRow> locked(SqlConnection tx, Caller caller, RepoRecord repo, long number) {
        return issues.find(tx, repo.id(), number, true).chain(found -> {
            IssueRow row = found.orElseThrow(() -> new PagureException(404, "ENOISSUE", "Issue not found"));
            return mayView(tx, caller, row).map(ok -> {
                if (!ok) {
                    throw new PagureException(404, "ENOISSUE", "Issue not found");
                }
                return row;
            });
        });
    }

    private Uni<Boolean> mayView(SqlClient client, Caller caller, IssueRow row) {
        if (caller.isMember() || (caller.userId() != null && caller.userId().equals(row.authorId()))) {
            return Uni.createFrom().item(true);
        }
        return pagure.extras(client, List.of(row.id())).chain(extras -> {
            if (!extras.get(row.id()).isPrivate()) {
                return Uni.createFrom().item(true);
            }
            return caller.userId() == null ? Uni.createFrom().item(false)
                    : issues.assignees(client, List.of(row.id())).map(a -> a.getOrDefault(row.id(), List.of()).stream()
                            .anyMatch(x -> x.userId() == caller.userId()));
        });
    }

    private static void requireTicketAccess(Caller caller) {
        caller.requireUserId();
        if (!caller.isMember()) {
            throw new PagureException(403, "EISSUENOTALLOWED", "You are not allowed to edit this issue: it needs ticket access "
                    + "(membership of the organization)");
        }
    }

    private static String known(TrackerSettings settings, String closeStatus) {
        String found = settings.closeStatus(closeStatus);
        if (found == null) {
            throw PagureException.invalid("close_status: Not a valid choice; this project's close statuses are "
                    + String.join(", ", settings.closeStatuses()));
        }
        return found;
    }

    static String checkValue(TrackerRepository.KeyRow key, String value) {
        if (value.length() > 1000) {
            throw PagureException.invalid("custom field " + key.name() + " takes at most 1000 characters");
        }
        switch (key.type()) {
            case "list" -> {
                if (!key.options().contains(value)) {
                    throw PagureException.invalid("Invalid custom field submitted, the value '" + value + "' is not an option of "
                            + key.name() + " (" + String.join(", ", key.options()) + ")");
                }
            }
            case "boolean" -> {
                return String.valueOf(PagureInput.bool(key.name(), value));
            }
            case "date" -> {
                try {
                    LocalDate.parse(value);
                } catch (DateTimeParseException e) {
                    throw PagureException.invalid("Invalid custom field submitted, " + key.name() + " takes a date as YYYY-MM-DD");
                }
            }
            case "link" -> {
                try {
                    URI uri = URI.create(value);
                    if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                        throw new IllegalArgumentException();
                    }
                } catch (IllegalArgumentException e) {
                    throw PagureException.invalid("Invalid custom field submitted, " + key.name() + " takes an http(s) URL");
                }
            }
            default -> { }
        }
        return value;
    }

    private static String message(String name, String value, String previous) {
        if (value == null) {
            return "Custom field " + name + " reset" + (previous == null ? "" : " (from " + previous + ")");
        }
        return "Custom field " + name + " adjusted to " + value + (previous == null ? "" : " (was: " + previous + ")");
    }

    private static <T> Uni<List<T>> chainAll(List<Uni<T>> steps) {
        Uni<List<T>> result = Uni.createFrom().item(new ArrayList<>());
        for (Uni<T> step : steps) {
            result = result.chain(list -> step.map(item -> {
                list.add(item);
                return list;
            }));
        }
        return result;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
