package dev.shoal.issue.pull.service;

import dev.shoal.issue.client.RepoGateway;
import dev.shoal.issue.client.RepoGateway.ResolvedRef;
import dev.shoal.issue.config.IssueConfig;
import dev.shoal.issue.issue.Issue;
import dev.shoal.issue.issue.service.IssueEvents;
import dev.shoal.issue.issue.service.IssueViews;
import dev.shoal.issue.pull.NewLineComment;
import dev.shoal.issue.pull.PullRequest;
import dev.shoal.issue.pull.PullRow;
import dev.shoal.issue.pull.Review;
import dev.shoal.issue.pull.repository.PullRepository;
import dev.shoal.issue.repo.RepoRecord;
import dev.shoal.issue.repo.repository.RepoRecords;
import dev.shoal.issue.repo.service.RepoScopes;
import dev.shoal.issue.support.Allowed;
import dev.shoal.issue.support.Sql;
import dev.shoal.issue.support.Titles;
import dev.shoal.issue.user.UserProfile;
import dev.shoal.issue.user.Users;
import dev.shoal.issue.user.repository.UserRepository;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.api.PageResponse;
import dev.shoal.platform.error.ApiException;
import dev.shoal.platform.error.ConflictException;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.EventTypes;
import dev.shoal.platform.identity.Caller;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

@ApplicationScoped
public class PullService {

    private static final String HEADS = "refs/heads/";

    public record PullChange(String title, String body, String state) {
    }

    public record ReviewInput(String state, String body, List<NewLineComment> comments) {
    }

    public record Diff(String diff, boolean truncated) {
    }

    private final Pool pool;
    private final RepoScopes repos;
    private final RepoRecords repoRecords;
    private final PullRepository pulls;
    private final PullViews views;
    private final RepoGateway gateway;
    private final UserRepository users;
    private final IssueConfig config;

    public PullService(Pool pool, RepoScopes repos, RepoRecords repoRecords, PullRepository pulls, PullViews views,
                       RepoGateway gateway, UserRepository users, IssueConfig config) {
        this.pool = pool;
        this.repos = repos;
        this.repoRecords = repoRecords;
        this.pulls = pulls;
        this.views = views;
        this.gateway = gateway;
        this.users = users;
        this.config = config;
    }

    public Uni<PageResponse<PullRequest>> list(Caller caller, String org, String name, String statusRaw, PageRequest page) {
        String status = Allowed.oneOf("status", statusRaw, PullRequest.OPEN, PullRequest.STATUSES);
        return repos.forRead(caller, org, name)
                .chain(repo -> pulls.page(pool, repo.id(), status, page.perPage(), page.offset()))
                .chain(result -> views.page(pool, result.rows()).map(items -> PageResponse.of(items, page, result.total())));
    }

    public Uni<PullRequest> get(Caller caller, String org, String name, long number) {
        return repos.forRead(caller, org, name).chain(repo -> find(repo, number))
                .chain(row -> views.one(pool, row, true));
    }

    /** Both branches are resolved by repo-service; {@code default} (or no target) means the default branch. */
    public Uni<PullRequest> create(Caller caller, String org, String name, String title, String body, String source,
                                   String target) {
        caller.requireUserId();
        String cleanTitle = Titles.check(title);
        if (source == null || source.isBlank()) {
            throw new ValidationException("source_bookmark is required: the branch whose changes should be merged");
        }
        String targetRef = target == null || target.isBlank() ? "default" : target;
        return repos.forWrite(caller, org, name).chain(repo -> branch(repo, "source_bookmark", source)
                .chain(head -> branch(repo, "target_branch", targetRef).chain(base -> {
                    if (head.ref().equals(base.ref())) {
                        throw new ValidationException("source_bookmark and target_branch are the same branch ("
                                + shortName(base.ref()) + "); choose a different source branch");
                    }
                    return pool.withTransaction(tx -> repoRecords.nextNumber(tx, repo.id())
                            .call(number -> pulls.insert(tx, repo.id(), number, cleanTitle, body == null ? "" : body,
                                    caller.userId(), caller.login(), shortName(head.ref()), shortName(base.ref()),
                                    head.sha(), base.sha()))
                            .chain(number -> reload(tx, repo, number, false))
                            .call(pull -> views.append(tx, EventTypes.PULL_REQUEST_OPENED, IssueEvents.actor(caller), repo, pull, null)));
                })));
    }

    public Uni<PullRequest> update(Caller caller, String org, String name, long number, PullChange change) {
        String title = change.title() == null ? null : Titles.check(change.title());
        String state = change.state() == null ? null
                : Allowed.oneOf("state", change.state(), null, List.of(PullRequest.OPEN, PullRequest.CLOSED));
        return repos.forRead(caller, org, name).chain(repo -> pool.withTransaction(tx -> locked(tx, repo, number)
                .chain(current -> {
                    caller.requireSelfOrOwner(current.authorId() == null ? -1 : current.authorId(), "edit this pull request");
                    if (state != null && PullRequest.MERGED.equals(current.status())) {
                        throw new ConflictException("pull request #" + number + " is already merged; its state cannot change");
                    }
                    String status = state == null ? current.status() : state;
                    String newTitle = title == null ? current.title() : title;
                    String newBody = change.body() == null ? current.body() : change.body();
                    if (status.equals(current.status()) && newTitle.equals(current.title()) && newBody.equals(current.body())) {
                        return views.one(tx, current, true);
                    }
                    Instant closedAt = PullRequest.CLOSED.equals(status)
                            ? (current.closedAt() == null ? Instant.now() : current.closedAt()) : null;
                    var type = !status.equals(current.status()) && PullRequest.CLOSED.equals(status)
                            ? EventTypes.PULL_REQUEST_CLOSED : EventTypes.PULL_REQUEST_UPDATED;
                    return pulls.update(tx, current.id(), newTitle, newBody, status, closedAt)
                            .chain(() -> reload(tx, repo, number, true))
                            .call(pull -> views.append(tx, type, IssueEvents.actor(caller), repo, pull, null));
                })));
    }

    public Uni<Issue.Comment> comment(Caller caller, String org, String name, long number, String body) {
        caller.requireUserId();
        if (body == null || body.isBlank()) {
            throw new ValidationException("body is required and must not be blank");
        }
        return repos.forRead(caller, org, name).chain(repo -> pool.withTransaction(tx -> locked(tx, repo, number)
                .chain(current -> pulls.insertComment(tx, current.id(), body, caller.userId(), caller.login())
                        .call(() -> pulls.touch(tx, current.id()))
                        .chain(row -> users.byIds(tx, Set.of(caller.userId())).map(known -> IssueViews.comment(row, known)))
                        .call(comment -> reload(tx, repo, number, false).call(pull ->
                                views.append(tx, EventTypes.PULL_REQUEST_COMMENTED, IssueEvents.actor(caller), repo, pull, comment))))));
    }

    /**
     * Merges under the pull request's row lock: a second merge of the same pull request waits, then
     * finds it merged and gets 409. A conflict in repo-service rolls everything back, so the pull
     * request stays open. The remote merge runs inside the transaction on purpose: the lock must
     * be held until the outcome is recorded.
     */
    public Uni<PullRequest> merge(Caller caller, String org, String name, long number, String methodRaw) {
        caller.requireUserId();
        String method = Allowed.oneOf("method", methodRaw, "merge", PullRequest.METHODS);
        return repos.forRead(caller, org, name).call(repo -> refreshHead(caller, repo, number))
                .chain(repo -> pool.withTransaction(tx -> locked(tx, repo, number)
                .chain(current -> {
                    if (PullRequest.MERGED.equals(current.status())) {
                        throw new ConflictException("pull request #" + number + " is already merged (commit "
                                + current.mergeCommit() + ")");
                    }
                    if (PullRequest.CLOSED.equals(current.status())) {
                        throw new ConflictException("pull request #" + number + " is closed; reopen it before merging");
                    }
                    return gone(gateway.resolve(repo.id(), HEADS + current.sourceBranch()), "source branch " + current.sourceBranch())
                            .chain(head -> gone(gateway.resolve(repo.id(), HEADS + current.targetBranch()), "target branch " + current.targetBranch())
                                    .chain(base -> pulls.setShas(tx, current.id(), head.sha(), base.sha())))
                            .chain(() -> requireApprovals(tx, repo, current))
                            .chain(() -> users.byIds(tx, Set.of(caller.userId())))
                            .chain(known -> {
                                UserProfile me = Users.show(known, caller.userId(), caller.login());
                                String email = me.email() != null ? me.email() : caller.login() + "@users.noreply.shoal";
                                String message = "Merge pull request #" + number + " from " + current.sourceBranch()
                                        + "\n\n" + current.title();
                                return gateway.merge(repo.id(), new RepoGateway.MergeCommand(current.sourceBranch(),
                                                current.targetBranch(), method, message,
                                                me.displayName() != null ? me.displayName() : caller.login(), email))
                                        .onFailure(e -> e instanceof ApiException api && api.status() == 404)
                                        .transform(e -> new ConflictException("a branch of pull request #" + number
                                                + " no longer exists: " + e.getMessage()));
                            })
                            .chain(result -> pulls.markMerged(tx, current.id(), result.sha(), caller.userId(), caller.login()))
                            .chain(() -> reload(tx, repo, number, true))
                            .call(pull -> views.append(tx, EventTypes.PULL_REQUEST_MERGED, IssueEvents.actor(caller), repo, pull, null));
                })));
    }

    public Uni<Diff> diff(Caller caller, String org, String name, long number) {
        return compare(caller, org, name, number).map(c -> {
            String text = c.diff() == null ? "" : c.diff();
            boolean truncated = text.length() > config.maxDiffChars();
            return new Diff(truncated ? text.substring(0, config.maxDiffChars()) : text, truncated);
        });
    }

    public Uni<List<RepoGateway.FileChange>> files(Caller caller, String org, String name, long number) {
        return compare(caller, org, name, number).map(c -> c.files() == null ? List.of() : c.files());
    }

    /** Open pull requests compare the live branches; finished ones the commits they were recorded at. */
    private Uni<RepoGateway.Comparison> compare(Caller caller, String org, String name, long number) {
        return repos.forRead(caller, org, name).chain(repo -> find(repo, number).chain(pull ->
                PullRequest.OPEN.equals(pull.status())
                        ? gateway.compare(repo.id(), HEADS + pull.targetBranch(), HEADS + pull.sourceBranch())
                        : gateway.compare(repo.id(), pull.baseSha(), pull.headSha())));
    }

    public Uni<Review> review(Caller caller, String org, String name, long number, ReviewInput input) {
        long me = caller.requireUserId();
        String state = Allowed.oneOf("state", input.state(), null, Review.STATES);
        if (state == null) {
            throw new ValidationException("state is required: one of " + String.join(", ", Review.STATES));
        }
        String body = input.body() == null ? "" : input.body();
        List<NewLineComment> comments = input.comments() == null ? List.of() : input.comments();
        if ("comment".equals(state) && body.isBlank() && comments.isEmpty()) {
            throw new ValidationException("a comment review needs a body or line comments");
        }
        return repos.forRead(caller, org, name).chain(repo -> pool.withTransaction(tx -> locked(tx, repo, number)
                .chain(current -> {
                    if (!PullRequest.OPEN.equals(current.status())) {
                        throw new ConflictException("pull request #" + number + " is " + current.status() + "; only open pull requests take reviews");
                    }
                    if (!"comment".equals(state) && current.authorId() != null && current.authorId() == me) {
                        throw new ValidationException("you cannot approve or request changes on your own pull request");
                    }
                    return pulls.insertReview(tx, current.id(), state, body, current.headSha(), me, caller.login(),
                                    caller.isMember(), comments)
                            .call(() -> pulls.touch(tx, current.id()))
                            .call(() -> reload(tx, repo, number, false).call(pull ->
                                    views.append(tx, EventTypes.PULL_REQUEST_UPDATED, IssueEvents.actor(caller), repo, pull, null)))
                            .chain(id -> reviews(tx, current).map(all -> all.stream().filter(r -> r.id() == id).findFirst().orElseThrow()));
                })));
    }

    public Uni<List<Review>> reviews(Caller caller, String org, String name, long number) {
        return repos.forRead(caller, org, name).chain(repo -> find(repo, number)).chain(pull -> reviews(pool, pull));
    }

    private Uni<List<Review>> reviews(io.vertx.mutiny.sqlclient.SqlClient client, PullRow pull) {
        return pulls.reviews(client, pull.id()).chain(rows -> pulls.reviewComments(client, pull.id()).chain(lines -> {
            Set<Long> ids = rows.stream().map(r -> r.getLong("author_id")).collect(Collectors.toCollection(HashSet::new));
            Map<Long, List<Review.LineComment>> byReview = lines.stream().collect(Collectors.groupingBy(
                    l -> l.getLong("review_id"), Collectors.mapping(l -> new Review.LineComment(l.getLong("id"),
                            l.getString("path"), l.getInteger("line"), l.getString("body"), l.getString("commit_sha")),
                            Collectors.toList())));
            return users.byIds(client, ids).map(known -> rows.stream().map(r -> new Review(r.getLong("id"),
                    r.getString("state"), r.getString("body"), r.getString("commit_sha"),
                    Users.show(known, r.getLong("author_id"), r.getString("author_login")),
                    byReview.getOrDefault(r.getLong("id"), List.of()), Sql.instant(r, "created_at"))).toList());
        }));
    }

    public Uni<Integer> requiredApprovals(Caller caller, String org, String name) {
        return repos.forRead(caller, org, name).map(RepoRecord::requiredApprovals);
    }

    public Uni<Integer> setRequiredApprovals(Caller caller, String org, String name, int required) {
        return repos.forWrite(caller, org, name)
                .chain(repo -> pool.withTransaction(tx -> repoRecords.setRequiredApprovals(tx, repo.id(), required)))
                .replaceWith(required);
    }

    /** {@code repo.pushed}: open pull requests from the pushed branch follow its new head. */
    public Uni<Void> onPushed(SqlConnection tx, EventEnvelope event, String ref, String after) {
        if (event.repo() == null || !ref.startsWith(HEADS) || after == null || after.matches("0{40}")) {
            return Uni.createFrom().voidItem();
        }
        String branch = ref.substring(HEADS.length());
        long repoId = event.repo().id();
        return repoRecords.find(tx, repoId).chain(row -> {
            if (row.isEmpty() || row.get().getOffsetDateTime("deleted_at") != null) {
                return Uni.createFrom().voidItem();
            }
            RepoRecord repo = RepoRecords.map(row.get());
            return pulls.moveBases(tx, repoId, branch, after)
                    .chain(() -> pulls.moveHeads(tx, repoId, branch, after))
                    .chain(numbers -> io.smallrye.mutiny.Multi.createFrom().iterable(numbers)
                            .onItem().transformToUniAndConcatenate(n -> reload(tx, repo, n, false)
                                    .call(pull -> views.append(tx, EventTypes.PULL_REQUEST_UPDATED, event.actor(), repo, pull, null)))
                            .collect().asList())
                    .replaceWithVoid();
        });
    }

    /**
     * Records where the branches are now, in its own transaction, so that a merge refused for stale
     * approvals still leaves the pull request showing its real head (and announces the move).
     */
    private Uni<Void> refreshHead(Caller caller, RepoRecord repo, long number) {
        return pool.withTransaction(tx -> locked(tx, repo, number).chain(current -> {
            if (!PullRequest.OPEN.equals(current.status())) {
                return Uni.createFrom().voidItem();
            }
            return gateway.resolve(repo.id(), HEADS + current.sourceBranch())
                    .chain(head -> gateway.resolve(repo.id(), HEADS + current.targetBranch()).chain(base -> {
                        if (head.isEmpty() || base.isEmpty()) {
                            return Uni.createFrom().voidItem();
                        }
                        boolean headMoved = !head.get().sha().equals(current.headSha());
                        if (!headMoved && base.get().sha().equals(current.baseSha())) {
                            return Uni.createFrom().voidItem();
                        }
                        Uni<Void> update = pulls.setShas(tx, current.id(), head.get().sha(), base.get().sha());
                        return !headMoved ? update : update.chain(() -> reload(tx, repo, number, false))
                                .chain(pull -> views.append(tx, EventTypes.PULL_REQUEST_UPDATED, IssueEvents.actor(caller), repo, pull, null));
                    }));
        }));
    }

    private Uni<Void> requireApprovals(SqlConnection tx, RepoRecord repo, PullRow pull) {
        if (repo.requiredApprovals() <= 0) {
            return Uni.createFrom().voidItem();
        }
        return pulls.approvals(tx, List.of(pull.id())).map(counts -> {
            int have = counts.getOrDefault(pull.id(), 0);
            if (have < repo.requiredApprovals()) {
                throw new ApiException(409, "approvals_required", "pull request #" + pull.number() + " needs "
                        + repo.requiredApprovals() + " approval(s) from organization members on its current head; it has " + have,
                        Map.of("required", repo.requiredApprovals(), "approvals", have));
            }
            return null;
        }).replaceWithVoid();
    }

    private Uni<ResolvedRef> branch(RepoRecord repo, String field, String name) {
        return gateway.resolve(repo.id(), name).map(found -> {
            ResolvedRef ref = found.orElseThrow(() -> new ValidationException(field + " '" + name
                    + "' is not a branch of " + repo.fullName()));
            if (ref.ref() == null || !ref.ref().startsWith(HEADS)) {
                throw new ValidationException(field + " '" + name + "' must name a branch, not a tag or commit");
            }
            return ref;
        });
    }

    private static Uni<ResolvedRef> gone(Uni<java.util.Optional<ResolvedRef>> resolved, String what) {
        return resolved.map(found -> found.orElseThrow(() -> new ConflictException(what + " no longer exists; it cannot be merged")));
    }

    private Uni<PullRow> find(RepoRecord repo, long number) {
        return pulls.find(pool, repo.id(), number, false).map(row -> row.orElseThrow(() -> notFound(repo, number)));
    }

    private Uni<PullRow> locked(SqlConnection tx, RepoRecord repo, long number) {
        return pulls.find(tx, repo.id(), number, true).map(row -> row.orElseThrow(() -> notFound(repo, number)));
    }

    private Uni<PullRequest> reload(SqlConnection tx, RepoRecord repo, long number, boolean withComments) {
        return pulls.find(tx, repo.id(), number, false).chain(row -> views.one(tx, row.orElseThrow(), withComments));
    }

    private static String shortName(String ref) {
        return ref.startsWith(HEADS) ? ref.substring(HEADS.length()) : ref;
    }

    private static NotFoundException notFound(RepoRecord repo, long number) {
        return new NotFoundException("pull request #" + number + " not found in " + repo.fullName());
    }

}
