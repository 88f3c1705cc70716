package dev.shoal.repo.git.service;

import dev.shoal.platform.error.ApiException;
import dev.shoal.platform.identity.CurrentCaller;
import dev.shoal.platform.identity.RefRules;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.function.Supplier;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Enforces a Code Storage token's per-ref policies ({@link RefRules}, the JWT's {@code refs} claim
 * carried by the gateway in the internal JWT) on every ref {@link RefMover} moves. The rules are
 * the current request's caller's (Workers carries the request context onto the worker pool), or
 * the ones bound with {@link #with} for work that outlives its request (pull-upstream's background
 * sync). Pushes check the same rules in {@link PushPolicy}.
 */
@ApplicationScoped
public class RefPolicyGuard {

    private static final ThreadLocal<RefRules> BOUND = new ThreadLocal<>();

    private final CurrentCaller caller;

    public RefPolicyGuard(CurrentCaller caller) {
        this.caller = caller;
    }

    /** Runs {@code work} under {@code rules} (null: none), for work running outside its request. */
    public static <T> T with(RefRules rules, Supplier<T> work) {
        RefRules previous = BOUND.get();
        BOUND.set(rules);
        try {
            return work.get();
        } finally {
            if (previous == null) {
                BOUND.remove();
            } else {
                BOUND.set(previous);
            }
        }
    }

    /** The rules in force for the running work, or null. */
    public RefRules current() {
        RefRules bound = BOUND.get();
        if (bound != null) {
            return bound;
        }
        ManagedContext request = Arc.container().requestContext();
        return request.isActive() ? caller.get().refRules() : null;
    }

    /** Refuses (403 naming the ref and the rule) an update the current rules forbid. */
    public void check(Repository git, String ref, ObjectId oldId, ObjectId newId) {
        RefRules rules = current();
        if (rules == null) {
            return;
        }
        String refusal = rules.refusal(ref, classify(git, oldId, newId));
        if (refusal != null) {
            throw new ApiException(403, "forbidden", refusal);
        }
    }

    /** Whether moving a ref from {@code oldId} to {@code newId} (null: absent) creates, deletes, fast-forwards or rewrites it. */
    public static RefRules.Update classify(Repository git, ObjectId oldId, ObjectId newId) {
        boolean oldAbsent = oldId == null || ObjectId.zeroId().equals(oldId);
        boolean newAbsent = newId == null || ObjectId.zeroId().equals(newId);
        if (oldAbsent) {
            return newAbsent ? RefRules.Update.FAST_FORWARD : RefRules.Update.CREATE;
        }
        if (newAbsent) {
            return RefRules.Update.DELETE;
        }
        if (oldId.equals(newId)) {
            return RefRules.Update.FAST_FORWARD;
        }
        try (RevWalk walk = new RevWalk(git)) {
            RevObject from = walk.peel(walk.parseAny(oldId));
            RevObject to = walk.peel(walk.parseAny(newId));
            if (from instanceof RevCommit a && to instanceof RevCommit b) {
                return walk.isMergedInto(a, b) ? RefRules.Update.FAST_FORWARD : RefRules.Update.NON_FAST_FORWARD;
            }
        } catch (IOException e) {
            // unreadable objects: treat as a rewrite, the stricter answer
        }
        return RefRules.Update.NON_FAST_FORWARD;
    }
}
