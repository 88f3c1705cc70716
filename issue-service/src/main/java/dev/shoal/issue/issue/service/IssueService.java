package dev.shoal.issue.issue.service;

import dev.shoal.platform.client.UserDirectory;
import dev.shoal.issue.issue.Issue;
import dev.shoal.issue.issue.IssueRow;
import dev.shoal.issue.issue.repository.IssueRepository;
import dev.shoal.issue.label.Label;
import dev.shoal.issue.label.repository.LabelRepository;
import dev.shoal.issue.milestone.repository.MilestoneRepository;
import dev.shoal.issue.repo.RepoRecord;
import dev.shoal.issue.repo.repository.RepoRecords;
import dev.shoal.issue.repo.service.RepoScopes;
import dev.shoal.issue.support.Allowed;
import dev.shoal.issue.support.RawJson;
import dev.shoal.issue.support.Titles;
import dev.shoal.issue.user.UserProfile;
import dev.shoal.issue.user.repository.UserRepository;
import dev.shoal.platform.api.EntityTags;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.api.PageResponse;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.event.EventType;
import dev.shoal.platform.event.EventTypes;
import dev.shoal.platform.event.schema.IssueEvent;
import dev.shoal.platform.identity.Caller;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

@ApplicationScoped
public class IssueService {

    static final int MAX_ASSIGNEES = 10;

    public record IssueChange(String title, String body, String state, Long milestoneId) {
    }

    private final Pool pool;
    private final RepoScopes repos;
    private final RepoRecords repoRecords;
    private final IssueRepository issues;
    private final IssueListCache listCache;
    private final IssueViews views;
    private final IssueEvents events;
    private final LabelRepository labels;
    private final MilestoneRepository milestones;
    private final UserRepository users;
    private final UserDirectory directory;

    public IssueService(Pool pool, RepoScopes repos, RepoRecords repoRecords, IssueRepository issues,
                        IssueListCache listCache, IssueViews views, IssueEvents events, LabelRepository labels,
                        MilestoneRepository milestones, UserRepository users, UserDirectory directory) {
        this.pool = pool;
        this.repos = repos;
        this.repoRecords = repoRecords;
        this.issues = issues;
        this.listCache = listCache;
        this.views = views;
        this.events = events;
        this.labels = labels;
        this.milestones = milestones;
        this.users = users;
        this.directory = directory;
    }

    /**
     * A list answer: the page with its entity tag, or only the tag when the client's copy is current
     * ({@code If-None-Match}). A repository never written to has no issues and no tag.
     */
    public record Listing(PageResponse<RawJson> page, String etag) {

        public boolean notModified() {
            return page == null;
        }
    }

    /**
     * A page of issues as the database renders them for a list (see {@code IssueRepository.PAGE}): one
     * query, or none while the repository's list version is the one the page was cached under
     * ({@link IssueListCache}; the version comes with the repository row, read first), and no page at
     * all when {@code ifNoneMatch} names this version's tag.
     */
    public Uni<Listing> list(Caller caller, String org, String name, String stateRaw, PageRequest page, String ifNoneMatch) {
        String state = Allowed.oneOf("state", stateRaw, Issue.OPEN, Issue.STATES);
        return repos.forRead(caller, org, name).chain(repo -> {
            if (!repo.known()) {
                return Uni.createFrom().item(new Listing(PageResponse.of(List.of(), page, 0), null));
            }
            IssueListCache.Key key = IssueListCache.Key.of(repo.id(), state, page, caller);
            String etag = key.etag(repo.listVersion());
            if (EntityTags.matches(ifNoneMatch, etag)) {
                return Uni.createFrom().item(new Listing(null, etag));
            }
            return listCache.page(key, repo.listVersion(), knownTotal -> issues.page(pool, repo.id(), state, page.perPage(),
                            page.offset(), caller.isMember(), caller.userId(), knownTotal))
                    .map(result -> new Listing(PageResponse.of(result.issues().stream().map(RawJson::new).toList(), page,
                            result.total()), etag));
        });
    }

    public Uni<Issue> get(Caller caller, String org, String name, long number) {
        return repos.forRead(caller, org, name)
                .chain(repo -> issues.find(pool, repo.id(), number, false)
                        .chain(row -> issues.visible(pool, row.orElseThrow(() -> notFound(repo, number)).id(), caller.isMember(),
                                caller.userId()).chain(visible -> {
                                    if (!visible) {
                                        throw notFound(repo, number);
                                    }
                                    return views.one(pool, row.get(), true);
                                })));
    }

    public Uni<Issue> create(Caller caller, String org, String name, String title, String body) {
        return create(caller, org, name, Opening.plain(title, body));
    }

    /**
     * What an issue opens with. The Isurus API gives title and body; Pagure's new-issue form also
     * gives privacy, a priority weight, a milestone, labels by name (created with {@code labelColor}
     * when missing) and an assignee, already checked against the repository by its adapter.
     */
    public record Opening(String title, String body, boolean isPrivate, Integer priority, Long milestoneId,
                          List<String> labelNames, String labelColor, UserProfile assignee) {

        public static Opening plain(String title, String body) {
            return new Opening(title, body, false, null, null, List.of(), null, null);
        }
    }

    /**
     * Opens an issue: the next number, the row with its opening facts, labels and assignee, then
     * {@code issue.opened} with the issue as it stands, in one transaction. The assignee's profile and
     * the labels are taken before the number: the number holds the repository's row to the end, and
     * whoever changes a profile or a label takes that row after (the list version, V4), never before.
     */
    public Uni<Issue> create(Caller caller, String org, String name, Opening opening) {
        caller.requireUserId();
        String cleanTitle = Titles.check(opening.title());
        UserProfile assignee = opening.assignee();
        return repos.forWrite(caller, org, name).chain(repo -> pool.withTransaction(tx ->
                (assignee == null ? Uni.createFrom().voidItem() : users.upsert(tx, assignee, true))
                        .chain(() -> labels.ensure(tx, repo.id(), opening.labelNames(), opening.labelColor()))
                        .chain(labelIds -> repoRecords.nextNumber(tx, repo.id())
                                .chain(number -> issues.insert(tx, repo.id(), number, cleanTitle,
                                                opening.body() == null ? "" : opening.body(), caller.userId(), caller.login(),
                                                opening.isPrivate(), opening.priority(), opening.milestoneId())
                                        .call(id -> labelIds.isEmpty() ? Uni.createFrom().voidItem()
                                                : issues.addLabels(tx, id, labelIds).replaceWithVoid())
                                        .call(id -> assignee == null ? Uni.createFrom().voidItem()
                                                : issues.replaceAssignees(tx, id,
                                                List.of(new IssueRepository.Assignee(assignee.id(), assignee.username()))))
                                        .replaceWith(number)))
                        .chain(number -> reload(tx, repo, number, false))
                        .call(issue -> events.append(tx, EventTypes.ISSUE_OPENED, caller, repo, issue, null))));
    }

    /** Title, body, milestone and state in one change; the state follows triage/close/reopen only. */
    public Uni<Issue> update(Caller caller, String org, String name, long number, IssueChange change) {
        String title = change.title() == null ? null : Titles.check(change.title());
        if (change.state() != null) {
            Allowed.oneOf("state", change.state(), null, Issue.STATES);
        }
        return repos.forRead(caller, org, name).chain(repo -> pool.withTransaction(tx -> locked(tx, repo, number)
                .chain(current -> {
                    caller.requireSelfOrOwner(current.authorId() == null ? -1 : current.authorId(), "edit this issue");
                    String state = change.state() == null ? current.state() : change.state();
                    if (!state.equals(current.state()) && !Issue.transitionsFrom(current.state()).contains(state)) {
                        throw new ValidationException("state cannot change from " + current.state() + " to " + state
                                + "; allowed from " + current.state() + ": " + String.join(", ", Issue.transitionsFrom(current.state())));
                    }
                    return milestone(tx, repo, change.milestoneId(), current.milestoneId()).chain(milestoneId -> {
                        Instant closedAt = Issue.CLOSED.equals(state)
                                ? (current.closedAt() == null ? Instant.now() : current.closedAt()) : null;
                        IssueRow next = new IssueRow(current.id(), current.repoId(), current.number(),
                                title == null ? current.title() : title,
                                change.body() == null ? current.body() : change.body(), state, current.authorId(),
                                current.authorLogin(), current.isPinned(), milestoneId, null, null, current.createdAt(),
                                current.updatedAt(), closedAt);
                        if (sameContent(current, next)) {
                            return views.one(tx, current, true);
                        }
                        EventType<IssueEvent> type = eventFor(current.state(), state);
                        return issues.update(tx, next).chain(() -> reload(tx, repo, number, true))
                                .call(issue -> events.append(tx, type, caller, repo, issue, null));
                    });
                })));
    }

    public Uni<Issue.Comment> comment(Caller caller, String org, String name, long number, String body) {
        caller.requireUserId();
        if (body == null || body.isBlank()) {
            throw new ValidationException("body is required and must not be blank");
        }
        return repos.forRead(caller, org, name).chain(repo -> pool.withTransaction(tx -> locked(tx, repo, number)
                .call(current -> issues.visible(tx, current.id(), caller.isMember(), caller.userId()).invoke(visible -> {
                    if (!visible) {
                        throw notFound(repo, number);
                    }
                }))
                .chain(current -> issues.insertComment(tx, current.id(), body, caller.userId(), caller.login())
                        .call(() -> issues.touch(tx, current.id()))
                        .chain(row -> users.byIds(tx, caller.userId() == null ? Set.of() : Set.of(caller.userId()))
                                .map(known -> IssueViews.comment(row, known)))
                        .call(comment -> reload(tx, repo, number, false)
                                .call(issue -> events.append(tx, EventTypes.ISSUE_COMMENTED, caller, repo, issue, comment))))));
    }

    /** Attaches labels by id or by name; unknown ones are a 400 that names them. */
    public Uni<Issue> addLabels(Caller caller, String org, String name, long number, List<Long> labelIds,
                                List<String> labelNames) {
        boolean byIds = labelIds != null && !labelIds.isEmpty();
        boolean byNames = labelNames != null && !labelNames.isEmpty();
        if (byIds == byNames) {
            throw new ValidationException("send either label_ids (a non-empty array of label ids) or labels "
                    + "(a non-empty array of label names), not both");
        }
        return repos.forRead(caller, org, name).chain(repo -> pool.withTransaction(tx -> locked(tx, repo, number)
                .chain(current -> (byIds ? labels.byIds(tx, repo.id(), labelIds) : labels.byNames(tx, repo.id(), labelNames))
                        .chain(found -> {
                            List<String> missing = byIds
                                    ? missing(labelIds, found, Label::id).stream().map(String::valueOf).toList()
                                    : missing(labelNames.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList(), found,
                                            l -> l.name().toLowerCase(Locale.ROOT));
                            if (!missing.isEmpty()) {
                                throw new ValidationException("unknown labels in this repository: " + String.join(", ", missing)
                                        + "; create them first with POST .../labels");
                            }
                            return issues.addLabels(tx, current.id(), found.stream().map(Label::id).toList());
                        })
                        .chain(added -> changed(tx, caller, repo, current, added > 0)))));
    }

    public Uni<Issue> removeLabel(Caller caller, String org, String name, long number, long labelId) {
        return repos.forRead(caller, org, name).chain(repo -> pool.withTransaction(tx -> locked(tx, repo, number)
                .chain(current -> issues.removeLabel(tx, current.id(), labelId).chain(removed -> {
                    if (removed == 0) {
                        throw new NotFoundException("label " + labelId + " is not on issue #" + number);
                    }
                    return changed(tx, caller, repo, current, true);
                }))));
    }

    /** Replaces the assignees; usernames are resolved through the gateway's directory first. */
    public Uni<Issue> setAssignees(Caller caller, String org, String name, long number, List<String> usernames) {
        if (usernames == null) {
            throw new ValidationException("assignees is required: an array of usernames (empty to clear)");
        }
        Set<String> wanted = new LinkedHashSet<>();
        for (String username : usernames) {
            if (username == null || username.isBlank() || username.length() > 100) {
                throw new ValidationException("assignees must hold usernames of 1-100 characters");
            }
            wanted.add(username);
        }
        if (wanted.size() > MAX_ASSIGNEES) {
            throw new ValidationException("an issue can have at most " + MAX_ASSIGNEES + " assignees");
        }
        return repos.forRead(caller, org, name)
                .chain(repo -> issues.find(pool, repo.id(), number, false).map(row -> {
                    row.orElseThrow(() -> notFound(repo, number));
                    return repo;
                }))
                .chain(repo -> Multi.createFrom().iterable(wanted)
                        .onItem().transformToUniAndConcatenate(u -> directory.byName(u).map(UserProfile::of).map(p -> Map.entry(u, p)))
                        .collect().asList()
                        .chain(resolved -> {
                            List<String> unknown = resolved.stream().filter(e -> e.getValue().isEmpty()).map(Map.Entry::getKey).toList();
                            if (!unknown.isEmpty()) {
                                throw new ValidationException("unknown users: " + String.join(", ", unknown));
                            }
                            List<UserProfile> profiles = resolved.stream().map(e -> e.getValue().orElseThrow()).toList();
                            return pool.withTransaction(tx -> locked(tx, repo, number).chain(current ->
                                    Multi.createFrom().iterable(profiles).onItem()
                                            .transformToUniAndConcatenate(p -> users.upsert(tx, p, true)).collect().asList()
                                            .chain(() -> issues.replaceAssignees(tx, current.id(), profiles.stream()
                                                    .map(p -> new IssueRepository.Assignee(p.id(), p.username())).toList()))
                                            .chain(() -> changed(tx, caller, repo, current, true))));
                        }));
    }

    public Uni<Issue> pin(Caller caller, String org, String name, long number, boolean pinned) {
        return repos.forRead(caller, org, name).chain(repo -> pool.withTransaction(tx -> locked(tx, repo, number)
                .chain(current -> {
                    if (current.isPinned() == pinned) {
                        return views.one(tx, current, true);
                    }
                    IssueRow next = new IssueRow(current.id(), current.repoId(), current.number(), current.title(),
                            current.body(), current.state(), current.authorId(), current.authorLogin(), pinned,
                            current.milestoneId(), null, null, current.createdAt(), current.updatedAt(), current.closedAt());
                    return issues.update(tx, next).chain(() -> reload(tx, repo, number, true))
                            .call(issue -> events.append(tx, EventTypes.ISSUE_UPDATED, caller, repo, issue, null));
                })));
    }

    private Uni<Issue> changed(SqlConnection tx, Caller caller, RepoRecord repo, IssueRow current, boolean changed) {
        if (!changed) {
            return views.one(tx, current, true);
        }
        return issues.touch(tx, current.id()).chain(() -> reload(tx, repo, current.number(), true))
                .call(issue -> events.append(tx, EventTypes.ISSUE_UPDATED, caller, repo, issue, null));
    }

    private Uni<IssueRow> locked(SqlConnection tx, RepoRecord repo, long number) {
        return issues.find(tx, repo.id(), number, true).map(row -> row.orElseThrow(() -> notFound(repo, number)));
    }

    private Uni<Issue> reload(SqlConnection tx, RepoRecord repo, long number, boolean withComments) {
        return issues.find(tx, repo.id(), number, false)
                .chain(row -> views.one(tx, row.orElseThrow(), withComments));
    }

    /** {@code null} keeps the milestone, 0 clears it, any other id must be a milestone of this repository. */
    private Uni<Long> milestone(SqlConnection tx, RepoRecord repo, Long requested, Long current) {
        if (requested == null) {
            return Uni.createFrom().item(current);
        }
        if (requested == 0) {
            return Uni.createFrom().nullItem();
        }
        return milestones.find(tx, repo.id(), requested).map(found -> found.map(m -> m.id()).orElseThrow(() ->
                new ValidationException("milestone_id " + requested + " is not a milestone of this repository")));
    }

    private static EventType<IssueEvent> eventFor(String from, String to) {
        if (from.equals(to)) {
            return EventTypes.ISSUE_UPDATED;
        }
        if (Issue.CLOSED.equals(to)) {
            return EventTypes.ISSUE_CLOSED;
        }
        return Issue.CLOSED.equals(from) ? EventTypes.ISSUE_REOPENED : EventTypes.ISSUE_UPDATED;
    }

    private static boolean sameContent(IssueRow a, IssueRow b) {
        return a.title().equals(b.title()) && a.body().equals(b.body()) && a.state().equals(b.state())
                && java.util.Objects.equals(a.milestoneId(), b.milestoneId());
    }

    private static <K> List<K> missing(List<K> wanted, List<Label> found, Function<Label, K> key) {
        Set<K> present = found.stream().map(key).collect(Collectors.toSet());
        List<K> result = new ArrayList<>();
        for (K k : new LinkedHashSet<>(wanted)) {
            if (!present.contains(k)) {
                result.add(k);
            }
        }
        return result;
    }

    private static NotFoundException notFound(RepoRecord repo, long number) {
        return new NotFoundException("issue #" + number + " not found in " + repo.fullName());
    }

}
