package dev.shoal.repo.git.service;

import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.EventTypes;
import dev.shoal.platform.event.schema.RepoPushed;
import dev.shoal.platform.event.schema.TagCreated;
import dev.shoal.platform.outbox.Outbox;
import dev.shoal.repo.git.RefChange;
import dev.shoal.repo.repo.Repo;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Turns ref moves into {@code repo.pushed} (and {@code tag.created}) events exactly once. A move is
 * journaled as pending before the ref moves; after it moved, the event is appended to the outbox in
 * the same transaction that marks the journal row emitted. Emission compares with the newest
 * emitted value of the ref under a per-repository advisory lock, so the post-receive hook and
 * reconciliation can never both emit the same move.
 */
@ApplicationScoped
public class PushEvents {

    static final int MAX_COMMITS = 20;
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);

    private final Pool pool;
    private final Outbox outbox;
    private final RefJournalRepository journal;

    public PushEvents(Pool pool, Outbox outbox, RefJournalRepository journal) {
        this.pool = pool;
        this.outbox = outbox;
        this.journal = journal;
    }

    /** Records the moves about to happen (blocking; call before moving the refs). */
    public void journal(long repoId, Collection<RefChange> changes, RepoPushed.Pusher pusher) {
        pool.withTransaction(tx -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (RefChange change : changes) {
                chain = chain.chain(() -> journal.insertPending(tx, repoId, change.ref(), change.before(), change.after(),
                        pusher == null ? null : pusher.id(), pusher == null ? null : pusher.login()));
            }
            return chain;
        }).await().atMost(DB_TIMEOUT);
    }

    /** Emits the events of moves that happened (blocking). Returns how many repo.pushed were written. */
    public int emit(Repo repo, Repository git, Collection<RefChange> changes, RepoPushed.Pusher pusher) {
        Set<String> batchRefs = changes.stream().map(RefChange::ref).collect(Collectors.toSet());
        List<Prepared> prepared = new ArrayList<>();
        for (RefChange change : changes) {
            prepared.add(new Prepared(change, commits(git, change, batchRefs, repo.defaultRef()), peeled(git, change.after()),
                    headCommit(git, change.after())));
        }
        return pool.withTransaction(tx -> journal.lockRepo(tx, repo.id())
                        .chain(() -> journal.lastEmitted(tx, repo.id()))
                        .chain(last -> {
                            Uni<Integer> chain = Uni.createFrom().item(0);
                            for (Prepared p : prepared) {
                                chain = chain.chain(count -> emitOne(tx, repo, p, last, pusher)
                                        .map(emitted -> emitted ? count + 1 : count));
                            }
                            return chain;
                        }))
                .await().atMost(DB_TIMEOUT);
    }

    /**
     * Compares the repository's refs with the journal and emits every move that has no event
     * (blocking; the caller holds the repository's lock).
     */
    public int reconcile(Repo repo, Repository git) {
        Map<String, String> actual = refs(git);
        Map<String, String> last = journal.lastEmitted(pool, repo.id()).await().atMost(DB_TIMEOUT);
        List<RefChange> missing = new ArrayList<>();
        for (Map.Entry<String, String> ref : actual.entrySet()) {
            String before = last.getOrDefault(ref.getKey(), RefChange.ZERO);
            if (!before.equals(ref.getValue())) {
                missing.add(new RefChange(ref.getKey(), before, ref.getValue()));
            }
        }
        for (Map.Entry<String, String> emitted : last.entrySet()) {
            if (!actual.containsKey(emitted.getKey()) && !RefChange.ZERO.equals(emitted.getValue())) {
                missing.add(new RefChange(emitted.getKey(), emitted.getValue(), RefChange.ZERO));
            }
        }
        int emitted = missing.isEmpty() ? 0 : emit(repo, git, missing, null);
        pool.withTransaction(tx -> journal.deleteStalePending(tx, repo.id())).await().atMost(DB_TIMEOUT);
        return emitted;
    }

    private record Prepared(RefChange change, List<RepoPushed.Commit> commits, String peeledAfter,
                            RepoPushed.Commit headCommit) {
    }

    private Uni<Boolean> emitOne(SqlConnection tx, Repo repo, Prepared p, Map<String, String> last,
                                 RepoPushed.Pusher given) {
        RefChange change = p.change();
        String lastValue = last.get(change.ref());
        if (change.after().equals(lastValue) || (lastValue == null && RefChange.ZERO.equals(change.after()))) {
            return Uni.createFrom().item(false);
        }
        String before = lastValue != null ? lastValue : change.before();
        last.put(change.ref(), change.after());
        return journal.findPending(tx, repo.id(), change.ref(), change.after()).chain(pending -> {
            RepoPushed.Pusher pusher = given != null ? given
                    : pending != null && (pending.pusherId() != null || pending.pusherLogin() != null)
                    ? new RepoPushed.Pusher(pending.pusherId(), pending.pusherLogin()) : null;
            Uni<Void> row = pending != null ? journal.markEmitted(tx, pending.id(), before)
                    : journal.insertEmitted(tx, repo.id(), change.ref(), before, change.after(),
                    pusher == null ? null : pusher.id(), pusher == null ? null : pusher.login());
            EventEnvelope.Actor actor = pusher == null ? null : new EventEnvelope.Actor(pusher.id(), pusher.login());
            RepoPushed data = new RepoPushed(change.ref(), before, change.after(), p.commits(), pusher, p.headCommit());
            Uni<Void> events = row
                    .chain(() -> outbox.append(tx, EventTypes.REPO_PUSHED, actor, repo.ref(), data, repo.id()))
                    .replaceWithVoid();
            if (RefChange.ZERO.equals(before) && change.ref().startsWith(Constants.R_TAGS) && p.peeledAfter() != null) {
                TagCreated tag = new TagCreated(change.ref().substring(Constants.R_TAGS.length()), p.peeledAfter());
                events = events.chain(() -> outbox.append(tx, EventTypes.TAG_CREATED, actor, repo.ref(), tag, repo.id()))
                        .replaceWithVoid();
            }
            return events.replaceWith(true);
        });
    }

    /** Every branch and tag with its value (symbolic refs such as HEAD left out). */
    public static Map<String, String> refs(Repository git) {
        try {
            return git.getRefDatabase().getRefsByPrefix(Constants.R_REFS).stream()
                    .filter(ref -> !ref.isSymbolic() && ref.getObjectId() != null)
                    .collect(Collectors.toMap(Ref::getName, ref -> ref.getObjectId().name()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Up to 20 commits the ref gained, newest first. */
    static List<RepoPushed.Commit> commits(Repository git, RefChange change, Set<String> batchRefs, String defaultRef) {
        if (RefChange.ZERO.equals(change.after())) {
            return List.of();
        }
        try (RevWalk walk = new RevWalk(git)) {
            RevObject tip = walk.peel(walk.parseAny(ObjectId.fromString(change.after())));
            if (!(tip instanceof RevCommit start)) {
                return List.of();
            }
            walk.markStart(start);
            if (!RefChange.ZERO.equals(change.before())) {
                markUninteresting(walk, ObjectId.fromString(change.before()));
            } else {
                // A new ref gains what no other ref had before this push; the default branch counts
                // even when it arrived in the same push, so a new feature branch lists only its own work.
                for (Ref other : git.getRefDatabase().getRefsByPrefix(Constants.R_HEADS)) {
                    boolean before = !batchRefs.contains(other.getName()) || other.getName().equals(defaultRef);
                    if (!other.getName().equals(change.ref()) && before && other.getObjectId() != null) {
                        markUninteresting(walk, other.getObjectId());
                    }
                }
            }
            List<RepoPushed.Commit> commits = new ArrayList<>();
            for (RevCommit commit : walk) {
                commits.add(commit(commit));
                if (commits.size() == MAX_COMMITS) {
                    break;
                }
            }
            return commits;
        } catch (MissingObjectException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The commit a ref names after a move (a tag peeled to its commit); null for a deletion or a non-commit. */
    static RepoPushed.Commit headCommit(Repository git, String after) {
        if (RefChange.ZERO.equals(after)) {
            return null;
        }
        try (RevWalk walk = new RevWalk(git)) {
            RevObject tip = walk.peel(walk.parseAny(ObjectId.fromString(after)));
            return tip instanceof RevCommit commit ? commit(commit) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** A commit as push events describe it (author, message, the committer's time); also repo-service's internal commit answer. */
    public static RepoPushed.Commit commit(RevCommit commit) {
        PersonIdent author = commit.getAuthorIdent();
        return new RepoPushed.Commit(commit.name(), commit.getFullMessage(),
                author.getName() + " <" + author.getEmailAddress() + ">", author.getName(), author.getEmailAddress(),
                commit.getCommitterIdent().getWhenAsInstant());
    }

    private static void markUninteresting(RevWalk walk, ObjectId id) throws IOException {
        try {
            RevObject obj = walk.peel(walk.parseAny(id));
            if (obj instanceof RevCommit commit) {
                walk.markUninteresting(commit);
            }
        } catch (MissingObjectException e) {
            // The old value was pruned; the list simply starts further back.
        }
    }

    private static String peeled(Repository git, String sha) {
        if (RefChange.ZERO.equals(sha)) {
            return null;
        }
        try (RevWalk walk = new RevWalk(git)) {
            return walk.peel(walk.parseAny(ObjectId.fromString(sha))).name();
        } catch (IOException e) {
            return sha;
        }
    }
}
