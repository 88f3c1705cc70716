package dev.shoal.repo.git.service;

import dev.shoal.platform.error.ApiException;
import dev.shoal.platform.event.schema.RepoPushed;
import dev.shoal.repo.git.GitStore;
import dev.shoal.repo.repo.Repo;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.URIish;

/**
 * The one way a fork gets its parent's git data, whichever API asked for it (Pagure's fork, Code
 * Storage's {@code createRepo({baseRepo})}): a local JGit fetch (objects checked) from the parent's
 * directory into the fork's own object store, then the fork's HEAD pointed at its default branch.
 *
 * <p>Not git alternates: with alternates the fork would borrow the parent's object store, so the
 * parent's GC (which knows nothing of the fork's refs) or its deletion would corrupt the fork. A
 * fetch costs disk and time once; packs are copied as packs. Blocking: call on a worker.
 */
@ApplicationScoped
public class ForkCopy {

    private static final RefSpec[] EVERYTHING = {new RefSpec("+refs/heads/*:refs/heads/*"), new RefSpec("+refs/tags/*:refs/tags/*")};

    private final GitStore store;
    private final RefMover mover;

    public ForkCopy(GitStore store, RefMover mover) {
        this.store = store;
        this.mover = mover;
    }

    /**
     * What a fork gets: {@code refs} (full ref name to commit or tag object), every branch and tag
     * of the parent when {@code everything}, and the branch its HEAD names.
     */
    public record Plan(Repo parent, Map<String, ObjectId> refs, boolean everything, String defaultBranch) {
    }

    /** Every branch and tag {@code parent} has now (read once, no lock: objects are immutable). */
    public Plan everything(Repo parent, String defaultBranch) throws IOException {
        Repository git = store.open(parent.id());
        Map<String, ObjectId> refs = new LinkedHashMap<>();
        for (Ref ref : git.getRefDatabase().getRefsByPrefix(Constants.R_HEADS)) {
            refs.put(ref.getName(), ref.getObjectId());
        }
        for (Ref ref : git.getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) {
            refs.put(ref.getName(), ref.getObjectId());
        }
        return new Plan(parent, refs, true, defaultBranch);
    }

    /**
     * Copies {@code plan} into {@code fork} under its lock: the objects are fetched without moving
     * any ref, then each ref is created through {@link RefMover} (journal, {@code repo.pushed} by
     * {@code pusher}). A ref whose object the fetch did not bring (the parent moved it meanwhile) is
     * a 409 conflict. Answers the fork.
     */
    public Repo copy(Repo fork, Plan plan, RepoPushed.Pusher pusher) {
        return mover.locked(fork.id(), git -> {
            try {
                RefSpec[] specs = plan.everything() ? EVERYTHING
                        : plan.refs().keySet().stream().map(r -> new RefSpec("+" + r + ":" + r)).toArray(RefSpec[]::new);
                if (specs.length > 0) {
                    // a dry run: objects land in the fork's store, refs move only through the journal below
                    fetch(git, plan.parent(), specs, true);
                }
                for (Map.Entry<String, ObjectId> ref : plan.refs().entrySet()) {
                    if (!git.getObjectDatabase().has(ref.getValue())) {
                        throw new ApiException(409, "conflict", "the base repository changed while it was forked ("
                                + ref.getKey() + "); try again");
                    }
                    mover.move(fork, git, ref.getKey(), null, ref.getValue(), pusher);
                }
                store.pointHead(git, plan.defaultBranch());
            } catch (IOException e) {
                throw failed(plan.parent(), e);
            }
            return fork;
        });
    }

    /**
     * Copies every branch and tag of {@code parent} into {@code fork}, whose row is not committed
     * yet (the copy runs inside the transaction that creates it, so a failed copy leaves nothing and
     * nobody can reach the fork meanwhile). The fetch moves the refs itself, without journal rows:
     * reconciliation announces them ({@code repo.pushed}) at its next run, once the row exists.
     * Answers the fork.
     */
    public Repo copyUnannounced(Repo parent, Repo fork) {
        Repository git = store.open(fork.id());
        try {
            fetch(git, parent, EVERYTHING, false);
            store.pointHead(git, parent.defaultBranch());
        } catch (IOException e) {
            throw failed(parent, e);
        }
        return fork;
    }

    private void fetch(Repository into, Repo parent, RefSpec[] specs, boolean dryRun) throws IOException {
        try (Git git = Git.wrap(into)) {
            git.fetch().setRemote(new URIish(store.dir(parent.id()).toUri().toURL()).toString())
                    .setRefSpecs(specs).setDryRun(dryRun).setCheckFetchedObjects(true).setTagOpt(TagOpt.NO_TAGS).call();
        } catch (GitAPIException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static IllegalStateException failed(Repo parent, IOException e) {
        return new IllegalStateException("could not copy the git data of " + parent.org() + "/" + parent.name() + ": "
                + e.getMessage(), e);
    }
}
