package dev.shoal.issue.support;

import dev.shoal.issue.compat.pagure.client.CommitFlags;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * pipeline-service's commit flags, which do not run in these tests: kept per repository and uid
 * with the same add-or-update-by-uid rule (pipeline-service's own tests cover the real store).
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class CommitFlagsDouble implements CommitFlags {

    private final Map<String, Flag> byRepoAndUid = new ConcurrentHashMap<>();

    @Override
    public synchronized Uni<List<Flag>> list(long repoId, String sha) {
        List<Flag> result = new ArrayList<>();
        byRepoAndUid.forEach((key, flag) -> {
            if (key.startsWith(repoId + "/") && flag.commitHash().equals(sha)) {
                result.add(flag);
            }
        });
        result.sort((a, b) -> a.createdAt().compareTo(b.createdAt()));
        return Uni.createFrom().item(result);
    }

    @Override
    public synchronized Uni<Saved> save(long repoId, String sha, NewFlag in) {
        String uid = in.uid() != null ? in.uid() : UUID.randomUUID().toString().replace("-", "");
        Flag old = byRepoAndUid.get(repoId + "/" + uid);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Flag flag = new Flag(uid, sha, in.username(), in.comment(), in.url(), in.status(), in.percent(), in.userId(),
                in.userLogin(), old == null ? now : old.createdAt(), now);
        byRepoAndUid.put(repoId + "/" + uid, flag);
        return Uni.createFrom().item(new Saved(flag, old == null));
    }
}
