package dev.shoal.repo.git.service;

import dev.shoal.platform.event.schema.RepoPushed;
import dev.shoal.platform.identity.Caller;
import dev.shoal.platform.identity.RefRules;
import dev.shoal.repo.git.RefChange;
import dev.shoal.repo.protection.service.ProtectionService;
import dev.shoal.repo.repo.Repo;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;
import org.jboss.logging.Logger;

/**
 * Builds the ReceivePack of one push: objects are checked (fsck), atomic pushes are honoured (JGit
 * advertises {@code atomic} for file repositories), protected branches refuse non-fast-forward
 * updates and deletion with a message git prints, every accepted update is journaled before the
 * refs move, and the post-receive hook emits {@code repo.pushed} once per updated ref.
 */
@ApplicationScoped
public class PushPolicy {

    private static final Logger LOG = Logger.getLogger(PushPolicy.class);

    private final ProtectionService protections;
    private final PushEvents events;
    private final Maintenance maintenance;

    public PushPolicy(ProtectionService protections, PushEvents events, Maintenance maintenance) {
        this.protections = protections;
        this.events = events;
        this.maintenance = maintenance;
    }

    public ReceivePack receivePack(Repo repo, Caller caller, Repository git) {
        return receivePack(repo, caller, git, null);
    }

    /**
     * As above, into {@code namespace} when given: the client's {@code refs/heads/x} is journaled,
     * moved and announced as the namespaced ref (protection rules name real branches only).
     */
    public ReceivePack receivePack(Repo repo, Caller caller, Repository git, RefNamespace namespace) {
        RepoPushed.Pusher pusher = new RepoPushed.Pusher(caller.userId(), caller.login());
        UnaryOperator<String> stored = namespace == null ? UnaryOperator.identity() : namespace::toStorage;
        ReceivePack rp = namespace == null ? new ReceivePack(git) : namespace.receivePack(git);
        rp.setCheckReceivedObjects(true);
        rp.setCheckReferencedObjectsAreReachable(true);
        // Fast-forward rules are per branch (protection), decided in the pre-receive hook.
        rp.setAllowNonFastForwards(true);
        rp.setAllowDeletes(true);
        rp.setAllowCreates(true);
        rp.setRefLogIdent(new PersonIdent(caller.login() == null ? "anonymous" : caller.login(),
                caller.login() == null ? "anonymous@shoal.local" : caller.login() + "@shoal.local"));
        rp.setPreReceiveHook((pack, commands) -> beforeUpdate(repo, git, caller.refRules(), pack, commands, pusher, stored));
        rp.setPostReceiveHook((pack, commands) -> afterUpdate(repo, git, commands, pusher, stored));
        return rp;
    }

    private void beforeUpdate(Repo repo, Repository git, RefRules rules, ReceivePack pack, Collection<ReceiveCommand> commands,
                              RepoPushed.Pusher pusher, UnaryOperator<String> stored) {
        if (rules != null) {
            // the Code Storage token's per-ref policies, on the stored ref name (as RefMover checks them)
            for (ReceiveCommand cmd : commands) {
                if (cmd.getResult() == ReceiveCommand.Result.NOT_ATTEMPTED) {
                    String refusal = rules.refusal(stored.apply(cmd.getRefName()), update(git, cmd));
                    if (refusal != null) {
                        cmd.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, refusal);
                    }
                }
            }
        }
        Set<String> protectedBranches = protections.protectedBranches(repo.id()).await().atMost(Duration.ofSeconds(30));
        for (ReceiveCommand cmd : commands) {
            if (cmd.getResult() != ReceiveCommand.Result.NOT_ATTEMPTED || !stored.apply(cmd.getRefName()).startsWith(Constants.R_HEADS)) {
                continue;
            }
            String branch = cmd.getRefName().substring(Constants.R_HEADS.length());
            if (!protectedBranches.contains(branch)) {
                continue;
            }
            if (cmd.getType() == ReceiveCommand.Type.UPDATE_NONFASTFORWARD) {
                cmd.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON,
                        "branch '" + branch + "' is protected: force pushes are not allowed");
            } else if (cmd.getType() == ReceiveCommand.Type.DELETE) {
                cmd.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON,
                        "branch '" + branch + "' is protected: it cannot be deleted");
            }
        }
        boolean anyRejected = commands.stream().anyMatch(c -> c.getResult() != ReceiveCommand.Result.NOT_ATTEMPTED);
        if (pack.isAtomic() && anyRejected) {
            return;
        }
        List<RefChange> accepted = new ArrayList<>();
        for (ReceiveCommand cmd : commands) {
            if (cmd.getResult() == ReceiveCommand.Result.NOT_ATTEMPTED) {
                accepted.add(RefChange.of(stored.apply(cmd.getRefName()), cmd.getOldId(), cmd.getNewId()));
            }
        }
        if (accepted.isEmpty()) {
            return;
        }
        try {
            events.journal(repo.id(), accepted, pusher);
        } catch (RuntimeException e) {
            // A ref must never move without its journal row: refuse rather than risk a lost event.
            LOG.errorf(e, "could not journal a push to repository %d", repo.id());
            for (ReceiveCommand cmd : commands) {
                if (cmd.getResult() == ReceiveCommand.Result.NOT_ATTEMPTED) {
                    cmd.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, "the server could not record the push; try again");
                }
            }
        }
    }

    private static RefRules.Update update(Repository git, ReceiveCommand cmd) {
        return switch (cmd.getType()) {
            case CREATE -> RefRules.Update.CREATE;
            case DELETE -> RefRules.Update.DELETE;
            case UPDATE_NONFASTFORWARD -> RefRules.Update.NON_FAST_FORWARD;
            // JGit types an update UPDATE before the pack's commits are walked; decide from the objects
            case UPDATE -> RefPolicyGuard.classify(git, cmd.getOldId(), cmd.getNewId());
        };
    }

    private void afterUpdate(Repo repo, Repository git, Collection<ReceiveCommand> commands, RepoPushed.Pusher pusher,
                             UnaryOperator<String> stored) {
        List<RefChange> moved = commands.stream()
                .map(cmd -> RefChange.of(stored.apply(cmd.getRefName()), cmd.getOldId(), cmd.getNewId()))
                .toList();
        try {
            events.emit(repo, git, moved, pusher);
        } catch (RuntimeException e) {
            // The journal holds the moves; reconciliation emits them later.
            LOG.errorf(e, "repo.pushed for repository %d not written now; reconciliation will emit it", repo.id());
        }
        maintenance.scheduleGc(repo.id());
    }
}
