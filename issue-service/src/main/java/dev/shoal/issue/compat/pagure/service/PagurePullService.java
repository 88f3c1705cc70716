package dev.shoal.issue.compat.pagure.service;

import dev.shoal.issue.client.RepoGateway;
import dev.shoal.platform.client.UserDirectory;
import dev.shoal.issue.compat.pagure.PagurePull;
import dev.shoal.issue.compat.pagure.client.CommitFlags;
import dev.shoal.issue.compat.pagure.client.OrgRoles;
import dev.shoal.issue.compat.pagure.repository.PagurePullRepository;
import dev.shoal.issue.compat.pagure.repository.PagurePullRepository.Filter;
import dev.shoal.issue.compat.pagure.repository.PagurePullRepository.Range;
import dev.shoal.issue.issue.service.IssueEvents;
import dev.shoal.issue.pull.NewLineComment;
import dev.shoal.issue.pull.PullRequest;
import dev.shoal.issue.pull.PullRow;
import dev.shoal.issue.pull.repository.PullRepository;
import dev.shoal.issue.pull.service.PullService;
import dev.shoal.issue.pull.service.PullViews;
import dev.shoal.issue.repo.RepoRecord;
import dev.shoal.issue.repo.service.RepoScopes;
import dev.shoal.issue.tracker.TrackerSettings;
import dev.shoal.issue.tracker.service.TrackerService;
import dev.shoal.issue.user.UserProfile;
import dev.shoal.issue.user.Users;
import dev.shoal.issue.user.repository.UserRepository;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.compat.pagure.PagureException;
import dev.shoal.platform.error.ApiException;
import dev.shoal.platform.event.EventTypes;
import dev.shoal.platform.identity.Caller;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pagure's pull request operations over the Isurus pull request service: creation, merge and
 * comments go through {@link PullService} (same rules, same events, the same repo-service merge
 * path); Pagure's extras (uid, assignee, closer, flags) are kept beside them.
 */
@ApplicationScoped
public class PagurePullService {

    static final List<String> FLAG_STATUSES = List.of("success", "failure", "error", "pending", "canceled");

    public record Listed(List<PagurePull> pulls, long total) {
    }

    public record DiffStat(String path, String oldPath, String status, int added, int removed) {
    }

    public record FlagInput(String uid, String username, String comment, String url, String status, String percent) {
    }

    public record ShownFlag(CommitFlags.Flag flag, UserProfile user) {
    }

    public record FlagResult(CommitFlags.Flag flag, boolean created, String pullUid, UserProfile user) {
    }

    private final Pool pool;
    private final RepoScopes repos;
    private final PullService pullService;
    private final PullRepository pulls;
    private final PullViews views;
    private final PagurePullRepository pagure;
    private final RepoGateway gateway;
    private final UserRepository users;
    private final UserDirectory directory;
    private final OrgRoles orgRoles;
    private final CommitFlags flags;
    private final TrackerService tracker;

    public PagurePullService(Pool pool, RepoScopes repos, PullService pullService, PullRepository pulls, PullViews views,
                             PagurePullRepository pagure, RepoGateway gateway, UserRepository users, UserDirectory directory,
                             OrgRoles orgRoles, CommitFlags flags, TrackerService tracker) {
        this.pool = pool;
        this.repos = repos;
        this.pullService = pullService;
        this.pulls = pulls;
        this.views = views;
        this.pagure = pagure;
        this.gateway = gateway;
        this.users = users;
        this.directory = directory;
        this.orgRoles = orgRoles;
        this.flags = flags;
        this.tracker = tracker;
    }

    public Uni<PagurePull> create(Caller caller, String org, String name, String title, String branchTo, String branchFrom,
                                  String repoFrom, String repoFromNamespace, String repoFromUsername, String initialComment) {
        if (title == null || title.isBlank()) {
            throw PagureException.invalid("title: This field is required.");
        }
        if (branchTo == null || branchTo.isBlank()) {
            throw PagureException.invalid("branch_to: This field is required.");
        }
        if (branchFrom == null || branchFrom.isBlank()) {
            throw PagureException.invalid("branch_from: This field is required.");
        }
        // Pull requests across repositories need a cross-repository merge in repo-service, which Shoal does not offer yet.
        boolean otherRepo = (repoFrom != null && !repoFrom.isBlank() && !repoFrom.equals(name))
                || (repoFromNamespace != null && !repoFromNamespace.isBlank() && !repoFromNamespace.equals(org))
                || (repoFromUsername != null && !repoFromUsername.isBlank());
        if (otherRepo) {
            throw PagureException.invalid("repo_from: pull requests from another project or a fork are not supported; "
                    + "push the branch to " + org + "/" + name + " and open the pull request from it");
        }
        return pullService.create(caller, org, name, title, initialComment, branchFrom.strip(), branchTo.strip())
                .onFailure(ApiException.class).transform(PagurePullService::pagureError)
                .chain(created -> get(caller, org, name, created.number()));
    }

    public Uni<Listed> list(Caller caller, String org, String name, String status, String assignee, String author,
                            PageRequest page) {
        List<String> statuses = statuses(status, true);
        return repos.forRead(caller, org, name).chain(repo -> listed(new Filter(repo.id(), statuses, blank(assignee), blank(author),
                null, null, null, Set.of(), null, null, null), page));
    }

    public Uni<PagurePull> get(Caller caller, String org, String name, long number) {
        return repos.forRead(caller, org, name).chain(repo -> find(pool, repo, number))
                .chain(row -> render(pool, List.of(row), true)).map(list -> list.get(0));
    }

    /** A pull request by uid: the route names no repository, so private ones are checked against memberships here. */
    public Uni<PagurePull> byUid(Caller caller, String uid) {
        if (uid == null || !uid.matches("[0-9a-fA-F]{1,64}")) {
            throw new PagureException(404, "ENOREQ", "Pull-Request not found");
        }
        return pagure.byUid(pool, uid.toLowerCase()).chain(found -> {
            Row row = found.orElseThrow(() -> new PagureException(404, "ENOREQ", "Pull-Request not found"));
            String org = row.getString("repo_org");
            Uni<Boolean> allowed = !row.getBoolean("repo_private") || caller.siteAdmin() ? Uni.createFrom().item(true)
                    : caller.userId() == null ? Uni.createFrom().item(false)
                    : orgRoles.memberOf(caller.userId(), List.of(org)).map(set -> set.contains(org));
            return allowed.chain(ok -> {
                if (!ok) {
                    throw new PagureException(404, "ENOREQ", "Pull-Request not found");
                }
                return render(pool, List.of(PullRepository.map(row)), true).map(list -> list.get(0));
            });
        });
    }

    public Uni<List<DiffStat>> diffstats(Caller caller, String org, String name, long number) {
        return repos.forRead(caller, org, name).chain(repo -> find(pool, repo, number))
                .chain(row -> pullService.files(caller, org, name, number))
                .map(files -> files.stream().map(f -> new DiffStat(f.path(), f.oldPath() == null ? f.path() : f.oldPath(),
                        switch (f.status()) {
                            case "added" -> "A";
                            case "deleted" -> "D";
                            case "renamed" -> "R";
                            default -> "M";
                        }, f.additions(), f.deletions())).toList());
    }

    public Uni<Void> merge(Caller caller, String org, String name, long number) {
        requireCommitter(caller);
        return repos.forRead(caller, org, name).chain(repo -> find(pool, repo, number))
                .chain(() -> pullService.merge(caller, org, name, number, "merge"))
                .onFailure(ApiException.class).transform(PagurePullService::pagureError)
                .replaceWithVoid();
    }

    /** Closes without merging: the pull request's author or a member of the organization (Pagure's committers). */
    public Uni<Void> close(Caller caller, String org, String name, long number) {
        caller.requireUserId();
        return repos.forRead(caller, org, name).chain(repo -> pool.withTransaction(tx -> locked(tx, repo, number).chain(current -> {
            if (!caller.isMember() && !caller.userId().equals(current.authorId())) {
                throw new PagureException(403, "ENOPRCLOSE", "You are not allowed to merge/close pull-request for this project");
            }
            if (PullRequest.MERGED.equals(current.status())) {
                throw PagureException.invalid("Pull-Request #" + number + " is already merged");
            }
            if (PullRequest.CLOSED.equals(current.status())) {
                return Uni.createFrom().voidItem();
            }
            return pulls.update(tx, current.id(), current.title(), current.body(), PullRequest.CLOSED, Instant.now())
                    .call(() -> pagure.closedBy(tx, current.id(), caller.userId(), caller.login()))
                    .chain(() -> announce(tx, caller, repo, number, EventTypes.PULL_REQUEST_CLOSED));
        })));
    }

    /**
     * Rebases the pull request's branch onto its target (repo-service rewrites the source branch)
     * and records the new head. The author or a member of the organization may.
     */
    public Uni<Void> rebase(Caller caller, String org, String name, long number) {
        caller.requireUserId();
        return repos.forRead(caller, org, name).chain(repo -> pool.withTransaction(tx -> locked(tx, repo, number).chain(current -> {
            if (!caller.isMember() && !caller.userId().equals(current.authorId())) {
                throw new PagureException(403, "ENOTHIGHENOUGH", "You are not allowed to rebase this pull-request");
            }
            if (!PullRequest.OPEN.equals(current.status())) {
                throw PagureException.invalid("Pull-Request #" + number + " is " + current.status() + "; only open ones can be rebased");
            }
            // repo-service runs inside the row lock on purpose: a merge of this pull request waits for the rebase
            return gateway.rebase(repo.id(), new RepoGateway.RebaseCommand(current.sourceBranch(), current.targetBranch()))
                    .onFailure(ApiException.class).transform(PagurePullService::pagureError)
                    .chain(result -> gateway.resolve(repo.id(), "refs/heads/" + current.targetBranch()).chain(base -> {
                        if (result.sha().equals(current.headSha())) {
                            return Uni.createFrom().voidItem();
                        }
                        return pulls.setShas(tx, current.id(), result.sha(), base.map(RepoGateway.ResolvedRef::sha).orElse(current.baseSha()))
                                .chain(() -> announce(tx, caller, repo, number, EventTypes.PULL_REQUEST_UPDATED));
                    }));
        })));
    }

    /** A plain comment, or with {@code filename} and {@code row} a line comment (a comment review anchored to the head). */
    public Uni<Void> comment(Caller caller, String org, String name, long number, String comment, String filename, String row) {
        if (comment == null || comment.isBlank()) {
            throw PagureException.invalid("comment: This field is required.");
        }
        Uni<PullRequest> found = repos.forRead(caller, org, name).chain(repo -> find(pool, repo, number)).replaceWith(() -> null);
        if (filename == null || filename.isBlank()) {
            return found.chain(() -> pullService.comment(caller, org, name, number, comment)).replaceWithVoid();
        }
        int line;
        try {
            line = Integer.parseInt(row == null ? "" : row.strip());
        } catch (NumberFormatException e) {
            throw PagureException.invalid("row: a line number is required with filename");
        }
        if (line < 1 || filename.contains("\0") || filename.startsWith("/") || List.of(filename.split("/")).contains("..")) {
            throw PagureException.invalid("filename and row must name a line (1 or more) of a relative path without '..'");
        }
        return found.chain(() -> pullService.review(caller, org, name, number, new PullService.ReviewInput("comment", "",
                        List.of(new NewLineComment(filename, line, comment)))))
                .onFailure(ApiException.class).transform(PagurePullService::pagureError)
                .replaceWithVoid();
    }

    public Uni<Boolean> assign(Caller caller, String org, String name, long number, String assignee) {
        requireCommitter(caller);
        Uni<UserProfile> who = assignee == null || assignee.isBlank() ? Uni.createFrom().nullItem()
                : directory.byName(assignee.strip()).map(UserProfile::of).map(found -> found.orElseThrow(() ->
                        new PagureException(404, "ENOUSER", "No such user found: " + assignee)));
        return who.chain(profile -> repos.forRead(caller, org, name).chain(repo -> pool.withTransaction(tx ->
                locked(tx, repo, number).chain(current -> (profile == null ? Uni.createFrom().voidItem() : users.upsert(tx, profile, true))
                        .chain(() -> pagure.assign(tx, current.id(), profile == null ? null : profile.id(),
                                profile == null ? null : profile.username()))
                        .chain(() -> announce(tx, caller, repo, number, EventTypes.PULL_REQUEST_UPDATED)))))
                .map(x -> profile != null));
    }

    public Uni<PagurePull> update(Caller caller, String org, String name, long number, String title, String initialComment) {
        if (title == null || title.isBlank()) {
            throw PagureException.invalid("title: This field is required.");
        }
        return pullService.update(caller, org, name, number, new PullService.PullChange(title, initialComment, null))
                .onFailure(ApiException.class).transform(PagurePullService::pagureError)
                .chain(() -> get(caller, org, name, number));
    }

    /** Pagure's PR flag: a flag on the pull request's current head commit. */
    public Uni<FlagResult> flag(Caller caller, String org, String name, long number, FlagInput in) {
        caller.requireUserId();
        CommitFlags.NewFlag flag = checkFlag(in, false, caller);
        return repos.forRead(caller, org, name).chain(repo -> find(pool, repo, number).chain(row ->
                pagure.extras(pool, List.of(row.id())).chain(extras -> flags.save(repo.id(), row.headSha(), flag)
                        .chain(saved -> users.byIds(pool, Set.of(caller.userId())).map(known -> new FlagResult(saved.flag(),
                                saved.created(), extras.get(row.id()).uid(), Users.show(known, caller.userId(), caller.login())))))));
    }

    /** The flags on the pull request's head commit, each with its author as this service knows them (name, email). */
    public Uni<List<ShownFlag>> flags(Caller caller, String org, String name, long number) {
        return repos.forRead(caller, org, name).chain(repo -> find(pool, repo, number).chain(row -> flags.list(repo.id(), row.headSha())))
                .chain(list -> users.byIds(pool, list.stream().map(CommitFlags.Flag::userId).filter(java.util.Objects::nonNull)
                                .collect(java.util.stream.Collectors.toSet()))
                        .map(known -> list.stream().map(f -> new ShownFlag(f, Users.show(known, f.userId(), f.userLogin()))).toList()));
    }

    /**
     * Validates a Pagure flag; a missing status follows Pagure's PR rule: success when percent is
     * above 0, failure at 0, pending without a percent. Commit flags need a status.
     */
    public static CommitFlags.NewFlag checkFlag(FlagInput in, boolean statusRequired, Caller caller) {
        for (String[] field : new String[][] {{"username", in.username()}, {"comment", in.comment()}, {"url", in.url()}}) {
            if (field[1] == null || field[1].isBlank()) {
                throw PagureException.invalid(field[0] + ": This field is required.");
            }
        }
        if (in.username().length() > 100 || in.comment().length() > 1000 || in.url().length() > 2000) {
            throw PagureException.invalid("username (100), comment (1000) and url (2000 characters) are too long");
        }
        if (!in.url().matches("(?i)https?://\\S+")) {
            throw PagureException.invalid("url: must be an http(s) URL");
        }
        Integer percent = null;
        if (in.percent() != null && !in.percent().isBlank()) {
            try {
                percent = Integer.valueOf(in.percent().strip());
            } catch (NumberFormatException e) {
                throw PagureException.invalid("percent: must be a whole number from 0 to 100");
            }
            if (percent < 0 || percent > 100) {
                throw PagureException.invalid("percent: must be a whole number from 0 to 100");
            }
        }
        String status = in.status() == null || in.status().isBlank() ? null : in.status().strip().toLowerCase();
        if (status == null) {
            if (statusRequired) {
                throw PagureException.invalid("status: This field is required (one of " + String.join(", ", FLAG_STATUSES) + ").");
            }
            status = percent == null ? "pending" : percent > 0 ? "success" : "failure";
        }
        if (!FLAG_STATUSES.contains(status)) {
            throw PagureException.invalid("status: Not a valid choice; one of " + String.join(", ", FLAG_STATUSES));
        }
        String uid = in.uid() == null || in.uid().isBlank() ? null : in.uid().strip();
        if (uid != null && uid.length() > 32) {
            throw PagureException.invalid("uid: Field cannot be longer than 32 characters.");
        }
        return new CommitFlags.NewFlag(uid, in.username().strip(), in.comment(), in.url().strip(), status, percent,
                caller.userId(), caller.login());
    }

    public Uni<Listed> filed(Caller caller, String username, String status, String created, String updated, String closed,
                             PageRequest page) {
        List<String> statuses = statuses(status, false);
        return user(username).chain(user -> pagure.privateOrgsOf(pool, user.id())
                .chain(orgs -> memberOrgs(caller, orgs))
                .chain(memberOrgs -> listed(new Filter(null, statuses, null, null, user.id(), null, null, memberOrgs,
                        range("created", created), range("updated", updated), range("closed", closed)), page)));
    }

    /**
     * Pull requests this user may act on (merge, close): those not their own, in organizations they
     * are a member of (Pagure's commit access). Private ones show only to viewers who are members too.
     */
    public Uni<Listed> actionable(Caller caller, String username, String status, String created, String updated, String closed,
                                  PageRequest page) {
        List<String> statuses = statuses(status, false);
        return user(username).chain(user -> pagure.openPullOrgs(pool, user.id())
                .chain(orgs -> orgRoles.memberOf(user.id(), orgs))
                .chain(userOrgs -> memberOrgs(caller, userOrgs).chain(viewerOrgs -> listed(new Filter(null, statuses, null, null,
                        null, user.id(), userOrgs, viewerOrgs, range("created", created), range("updated", updated),
                        range("closed", closed)), page))));
    }

    private Uni<UserProfile> user(String username) {
        return directory.byName(username).map(UserProfile::of).map(found -> found.orElseThrow(() -> new PagureException(404, "ENOUSER", "No such user found")));
    }

    private Uni<Set<String>> memberOrgs(Caller caller, java.util.Collection<String> orgs) {
        if (caller.siteAdmin()) {
            return Uni.createFrom().item(Set.copyOf(orgs));
        }
        return caller.userId() == null ? Uni.createFrom().item(Set.of()) : orgRoles.memberOf(caller.userId(), orgs);
    }

    private Uni<Listed> listed(Filter filter, PageRequest page) {
        return pagure.page(pool, filter, page.perPage(), page.offset())
                .chain(result -> render(pool, result.rows(), false).map(list -> new Listed(list, result.total())));
    }

    private Uni<List<PagurePull>> render(SqlClient client, List<PullRow> rows, boolean single) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Long> ids = rows.stream().map(PullRow::id).toList();
        Uni<List<PullRequest>> base = single ? views.one(client, rows.get(0), true).map(List::of) : views.page(client, rows);
        return base.chain(list -> pagure.extras(client, ids).chain(extras -> {
            Set<Long> people = new HashSet<>();
            extras.values().forEach(e -> {
                if (e.assigneeId() != null) {
                    people.add(e.assigneeId());
                }
                if (e.closedById() != null) {
                    people.add(e.closedById());
                }
            });
            Uni<String> start = single ? commitStart(rows.get(0)) : Uni.createFrom().nullItem();
            Uni<List<PagurePullRepository.LineComment>> inline = single ? pagure.lineComments(client, rows.get(0).id())
                    : Uni.createFrom().item(List.of());
            return start.chain(first -> inline.chain(lines -> {
                lines.forEach(l -> {
                    if (l.authorId() != null) {
                        people.add(l.authorId());
                    }
                });
                return users.byIds(client, people).chain(known -> projects(extras.values()).map(projects -> {
                List<PagurePull> result = new ArrayList<>();
                for (PullRequest pull : list) {
                    var e = extras.get(pull.id());
                    UserProfile assignee = e.assigneeLogin() == null ? null : Users.show(known, e.assigneeId(), e.assigneeLogin());
                    UserProfile closedBy = e.closedByLogin() == null ? null : Users.show(known, e.closedById(), e.closedByLogin());
                    List<PagurePull.InlineComment> comments = lines.stream().map(l -> new PagurePull.InlineComment(l.id(), l.path(),
                            l.line(), l.body(), l.commitSha(), Users.show(known, l.authorId(), l.authorLogin()), l.createdAt())).toList();
                    result.add(new PagurePull(pull, e, assignee, closedBy, first, comments, projects.get(e.repoId())));
                }
                return result;
                }));
            }));
        }));
    }

    /**
     * The projects of these pull requests, one lookup each (a listing is usually one project): the
     * repository's description and creation from repo-service (left null when it does not answer: the
     * pull requests are still shown), its tracker's close statuses and custom keys from here.
     */
    private Uni<Map<Long, PagurePull.Project>> projects(java.util.Collection<PagurePull.Extra> extras) {
        List<Long> repoIds = extras.stream().map(PagurePull.Extra::repoId).distinct().toList();
        Map<Long, PagurePull.Project> projects = new java.util.concurrent.ConcurrentHashMap<>();
        List<Uni<Void>> lookups = repoIds.stream().map(repoId -> gateway.repo(repoId)
                .onFailure().recoverWithNull()
                .chain(info -> tracker.of(repoId).invoke(settings -> projects.put(repoId, new PagurePull.Project(
                        info == null ? null : info.description(), info == null ? null : info.createdAt(), settings.closeStatuses(),
                        settings.customFields().stream().map(TrackerSettings.CustomKey::name).toList()))))
                .replaceWithVoid()).toList();
        return lookups.isEmpty() ? Uni.createFrom().item(projects)
                : Uni.join().all(lookups).andFailFast().replaceWith(projects);
    }

    /** The oldest commit the pull request adds; null when git cannot say (a branch gone, repo-service down). */
    private Uni<String> commitStart(PullRow row) {
        return gateway.compare(row.repoId(), row.baseSha(), row.headSha())
                .map(c -> c.commits() == null || c.commits().isEmpty() ? null : c.commits().get(c.commits().size() - 1).sha())
                .onFailure().recoverWithNull();
    }

    private Uni<Void> announce(SqlConnection tx, Caller caller, RepoRecord repo, long number,
                               dev.shoal.platform.event.EventType<dev.shoal.platform.event.schema.PullRequestEvent> type) {
        return pulls.find(tx, repo.id(), number, false).chain(row -> views.one(tx, row.orElseThrow(), false))
                .chain(pull -> views.append(tx, type, IssueEvents.actor(caller), repo, pull, null));
    }

    private Uni<PullRow> find(SqlClient client, RepoRecord repo, long number) {
        return pulls.find(client, repo.id(), number, false)
                .map(row -> row.orElseThrow(() -> new PagureException(404, "ENOREQ", "Pull-Request not found")));
    }

    private Uni<PullRow> locked(SqlConnection tx, RepoRecord repo, long number) {
        return pulls.find(tx, repo.id(), number, true)
                .map(row -> row.orElseThrow(() -> new PagureException(404, "ENOREQ", "Pull-Request not found")));
    }

    private static void requireCommitter(Caller caller) {
        caller.requireUserId();
        if (!caller.isMember()) {
            throw new PagureException(403, "ENOTHIGHENOUGH", "You do not have sufficient permissions to perform this action: "
                    + "it needs commit access (membership of the organization)");
        }
    }

    /**
     * Pagure's status words: for a project's list {@code true}/{@code Open} (default), {@code 0},
     * {@code false} or {@code Closed}, {@code Merged}, {@code All}; Shoal's statuses map one to one.
     */
    static List<String> statuses(String raw, boolean projectList) {
        String value = raw == null || raw.isBlank() ? "open" : raw.strip().toLowerCase();
        return switch (value) {
            case "open", "true", "1" -> List.of(PullRequest.OPEN);
            case "closed", "false", "0" -> List.of(PullRequest.CLOSED);
            case "merged" -> List.of(PullRequest.MERGED);
            case "all" -> PullRequest.STATUSES;
            default -> throw PagureException.invalid("status: Not a valid choice; use Open, Closed, Merged or All");
        };
    }

    /** Pagure's date filters: a date or unix seconds, or a range {@code start..end} (either end may be empty). */
    static Range range(String field, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String value = raw.strip();
        int dots = value.indexOf("..");
        if (dots < 0) {
            // one day (a date) or from that second on (a timestamp)
            Instant at = instant(field, value);
            return new Range(at, value.matches("\\d+") ? null : at.plusSeconds(86_400));
        }
        String from = value.substring(0, dots);
        String to = value.substring(dots + 2);
        Instant end = to.isBlank() ? null : instant(field, to);
        // an end date includes its whole day
        return new Range(from.isBlank() ? null : instant(field, from),
                end == null ? null : to.matches("\\d+") ? end.plusSeconds(1) : end.plusSeconds(86_400));
    }

    private static Instant instant(String field, String value) {
        if (value.matches("\\d{1,12}")) {
            return Instant.ofEpochSecond(Long.parseLong(value));
        }
        try {
            return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new PagureException(400, "ETIMESTAMP", "Invalid timestamp format: " + field
                    + " takes YYYY-MM-DD or unix seconds, or start..end");
        }
    }

    /** The Isurus service's refusals, in the words Pagure clients branch on. */
    static Throwable pagureError(Throwable error) {
        if (!(error instanceof ApiException api) || error instanceof PagureException) {
            return error;
        }
        return switch (api.code()) {
            case "merge_conflict" -> new PagureException(409, "EPRCONFLICTS", "This pull-request conflicts and thus cannot be merged: "
                    + api.getMessage());
            case "approvals_required" -> new PagureException(403, "EPRSCORE", api.getMessage());
            case "not_found" -> api.getMessage() != null && api.getMessage().startsWith("pull request")
                    ? new PagureException(404, "ENOREQ", "Pull-Request not found") : error;
            case "forbidden" -> new PagureException(403, "ENOTHIGHENOUGH", api.getMessage());
            case "conflict" -> new PagureException(409, "ENOCODE", api.getMessage());
            default -> error;
        };
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
