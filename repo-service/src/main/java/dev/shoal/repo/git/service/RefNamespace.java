package dev.shoal.repo.git.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.lib.BatchRefUpdate;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectIdRef;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.SymbolicRef;
import org.eclipse.jgit.transport.AdvertiseRefsHook;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.ServiceMayNotContinueException;
import org.eclipse.jgit.transport.UploadPack;

/**
 * A git namespace ({@code gitnamespaces(7)}) served as if it were a whole repository: the client
 * sees {@code refs/namespaces/<name>/refs/heads/x} as {@code refs/heads/x}, and its pushes land
 * back under the namespace. JGit has no {@code GIT_NAMESPACE}, so the mapping is done here: the
 * advertisement is rewritten by an {@link AdvertiseRefsHook} and the ref updates of a push are
 * renamed just before they are applied. Objects are shared with the rest of the repository.
 */
public final class RefNamespace {

    private final String prefix;

    private RefNamespace(String name) {
        this.prefix = "refs/namespaces/" + name + "/";
    }

    public static RefNamespace of(String name) {
        if (!name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("not a namespace name: " + name);
        }
        return new RefNamespace(name);
    }

    /** A ref filter for the repository's own remote: namespaces are not part of it. */
    public static Map<String, Ref> hideNamespaces(Map<String, Ref> refs) {
        Map<String, Ref> visible = new LinkedHashMap<>(refs);
        visible.keySet().removeIf(name -> name.startsWith("refs/namespaces/"));
        return visible;
    }

    /** {@code refs/heads/x} as the client names it → the ref in the repository. */
    public String toStorage(String clientRef) {
        return prefix + clientRef;
    }

    /**
     * The namespace's refs under their client names, plus a symbolic HEAD for clones: the default
     * branch when the namespace has it, else its first branch (a namespace has no HEAD of its own).
     */
    Map<String, Ref> advertised(Repository git, String defaultBranch, boolean withHead) {
        try {
            Map<String, Ref> refs = new LinkedHashMap<>();
            for (Ref ref : git.getRefDatabase().getRefsByPrefix(prefix + Constants.R_REFS)) {
                if (ref.isSymbolic() || ref.getObjectId() == null) {
                    continue;
                }
                String name = ref.getName().substring(prefix.length());
                Ref peeled = git.getRefDatabase().peel(ref);
                refs.put(name, peeled.getPeeledObjectId() != null
                        ? new ObjectIdRef.PeeledTag(Ref.Storage.PACKED, name, ref.getObjectId(), peeled.getPeeledObjectId())
                        : new ObjectIdRef.PeeledNonTag(Ref.Storage.PACKED, name, ref.getObjectId()));
            }
            if (withHead) {
                Ref head = refs.get(Constants.R_HEADS + defaultBranch);
                if (head == null) {
                    head = refs.values().stream().filter(r -> r.getName().startsWith(Constants.R_HEADS)).sorted(
                            java.util.Comparator.comparing(Ref::getName)).findFirst().orElse(null);
                }
                if (head != null) {
                    Map<String, Ref> withHeadFirst = new LinkedHashMap<>();
                    withHeadFirst.put(Constants.HEAD, new SymbolicRef(Constants.HEAD, head));
                    withHeadFirst.putAll(refs);
                    refs = withHeadFirst;
                }
            }
            return refs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Upload-pack (clone, fetch) of the namespace only. */
    public UploadPack uploadPack(Repository git, String defaultBranch) {
        UploadPack up = new UploadPack(git);
        up.setAdvertiseRefsHook(new AdvertiseRefsHook() {
            @Override
            public void advertiseRefs(UploadPack pack) {
                pack.setAdvertisedRefs(advertised(git, defaultBranch, true));
            }

            @Override
            public void advertiseRefs(ReceivePack pack) {
                throw new IllegalStateException("upload-pack hook used for receive-pack");
            }
        });
        return up;
    }

    /**
     * Receive-pack into the namespace. The repository's own branches and tags are advertised as
     * {@code .have}s, so a client pushing work based on them sends only the new objects.
     */
    ReceivePack receivePack(Repository git) {
        ReceivePack rp = new NamespacedReceivePack(git);
        AdvertiseRefsHook hook = new AdvertiseRefsHook() {
            @Override
            public void advertiseRefs(UploadPack pack) {
                throw new IllegalStateException("receive-pack hook used for upload-pack");
            }

            @Override
            public void advertiseRefs(ReceivePack pack) throws ServiceMayNotContinueException {
                try {
                    Set<ObjectId> haves = new HashSet<>();
                    for (Ref ref : git.getRefDatabase().getRefsByPrefix(Constants.R_HEADS, Constants.R_TAGS)) {
                        if (ref.getObjectId() != null) {
                            haves.add(ref.getObjectId());
                        }
                    }
                    pack.setAdvertisedRefs(advertised(git, null, false), haves);
                } catch (IOException e) {
                    throw new ServiceMayNotContinueException(e);
                }
            }
        };
        rp.setAdvertiseRefsHook(hook);
        // The hook runs for the advertisement (GET info/refs) only; the POST that carries the
        // commands would otherwise check them against the repository's own refs.
        try {
            hook.advertiseRefs(rp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rp;
    }

    /** Applies a push's accepted updates to the namespaced refs and reports back under the client's names. */
    private final class NamespacedReceivePack extends ReceivePack {

        NamespacedReceivePack(Repository git) {
            super(git);
        }

        @Override
        protected void executeCommands() {
            List<ReceiveCommand> toApply = filterCommands(ReceiveCommand.Result.NOT_ATTEMPTED);
            if (toApply.isEmpty()) {
                return;
            }
            List<ReceiveCommand> renamed = new ArrayList<>();
            for (ReceiveCommand cmd : toApply) {
                renamed.add(new ReceiveCommand(cmd.getOldId(), cmd.getNewId(), toStorage(cmd.getRefName()), cmd.getType()));
            }
            BatchRefUpdate batch = getRepository().getRefDatabase().newBatchUpdate();
            batch.setAllowNonFastForwards(isAllowNonFastForwards());
            batch.setAtomic(isAtomic());
            batch.setRefLogIdent(getRefLogIdent());
            batch.setRefLogMessage("push", true);
            batch.addCommand(renamed);
            try {
                batch.execute(getRevWalk(), NullProgressMonitor.INSTANCE);
            } catch (IOException e) {
                for (ReceiveCommand cmd : renamed) {
                    if (cmd.getResult() == ReceiveCommand.Result.NOT_ATTEMPTED) {
                        cmd.setResult(ReceiveCommand.Result.LOCK_FAILURE, e.getMessage());
                    }
                }
            }
            for (int i = 0; i < toApply.size(); i++) {
                toApply.get(i).setResult(renamed.get(i).getResult(), renamed.get(i).getMessage());
            }
        }
    }
}
