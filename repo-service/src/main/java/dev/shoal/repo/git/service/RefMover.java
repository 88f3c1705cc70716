package dev.shoal.repo.git.service;

import dev.shoal.platform.error.ApiException;
import dev.shoal.platform.event.schema.RepoPushed;
import dev.shoal.repo.git.GitStore;
import dev.shoal.repo.git.RefChange;
import dev.shoal.repo.repo.Repo;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;

/**
 * Moves refs on the server's own behalf (merges, release tags) with the same guarantees as a push:
 * under the repository's lock, journaled before the move, its event emitted after. Every move is
 * first checked against the caller's per-ref policies ({@link RefPolicyGuard}): the one place where
 * a Code Storage token's {@code refs} claim is enforced for REST writes.
 */
@ApplicationScoped
public class RefMover {

    private final GitStore store;
    private final PushEvents events;
    private final Maintenance maintenance;
    private final RefPolicyGuard policies;

    public RefMover(GitStore store, PushEvents events, Maintenance maintenance, RefPolicyGuard policies) {
        this.store = store;
        this.events = events;
        this.maintenance = maintenance;
        this.policies = policies;
    }

    /** Runs {@code work} holding the repository's lock (blocking). */
    public <T> T locked(long repoId, Function<Repository, T> work) {
        ReentrantLock lock = store.lock(repoId);
        try {
            if (!lock.tryLock(60, TimeUnit.SECONDS)) {
                throw new ApiException(503, "busy", "the repository is busy (a push or maintenance is running); try again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "busy", "interrupted while waiting for the repository");
        }
        try {
            return work.apply(store.open(repoId));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Compare-and-set of one ref; the caller holds the lock. {@code expectedOld} null means the ref
     * must not exist yet.
     */
    public void move(Repo repo, Repository git, String ref, ObjectId expectedOld, ObjectId newId, RepoPushed.Pusher pusher) {
        move(repo, git, ref, expectedOld, newId, pusher, false);
    }

    /**
     * As {@link #move}, and with {@code force} also a rewrite (not a fast-forward), still only from
     * {@code expectedOld}: used by rebases, whose caller checked the branch may be rewritten.
     */
    public void move(Repo repo, Repository git, String ref, ObjectId expectedOld, ObjectId newId, RepoPushed.Pusher pusher,
                     boolean force) {
        // the token's ref policies (Code Storage refs claim) decide before anything is journaled
        policies.check(git, ref, expectedOld, newId);
        RefChange change = RefChange.of(ref, expectedOld, newId);
        events.journal(repo.id(), List.of(change), pusher);
        try {
            RefUpdate update = git.updateRef(ref);
            update.setExpectedOldObjectId(expectedOld == null ? ObjectId.zeroId() : expectedOld);
            update.setNewObjectId(newId);
            update.setForceUpdate(force);
            update.setRefLogIdent(new PersonIdent(pusher == null || pusher.login() == null ? "shoal" : pusher.login(),
                    "noreply@shoal.local"));
            update.setRefLogMessage("shoal", false);
            RefUpdate.Result result = update.update();
            switch (result) {
                case NEW, FAST_FORWARD, FORCED, NO_CHANGE -> { }
                case LOCK_FAILURE -> throw new ApiException(409, "conflict", ref + " changed meanwhile; try again");
                default -> throw new ApiException(409, "conflict", ref + " could not be updated: " + result);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        events.emit(repo, git, List.of(change), pusher);
        maintenance.scheduleGc(repo.id());
    }

    /**
     * Deletes one ref that must still point at {@code expectedOld}; the caller holds the lock.
     * Journaled and announced ({@code repo.pushed} with after = 40 zeros) like a push deleting it.
     */
    public void remove(Repo repo, Repository git, String ref, ObjectId expectedOld, RepoPushed.Pusher pusher) {
        policies.check(git, ref, expectedOld, null);
        RefChange change = RefChange.of(ref, expectedOld, null);
        events.journal(repo.id(), List.of(change), pusher);
        try {
            RefUpdate update = git.updateRef(ref);
            update.setExpectedOldObjectId(expectedOld);
            update.setNewObjectId(ObjectId.zeroId());
            update.setForceUpdate(true);
            RefUpdate.Result result = update.delete();
            switch (result) {
                case FORCED, NO_CHANGE, FAST_FORWARD -> { }
                case LOCK_FAILURE -> throw new ApiException(409, "conflict", ref + " changed meanwhile; try again");
                default -> throw new ApiException(409, "conflict", ref + " could not be deleted: " + result);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        events.emit(repo, git, List.of(change), pusher);
    }
}
