package dev.shoal.pipeline.compat.pagure.service;

import dev.shoal.pipeline.flag.CommitFlag;
import dev.shoal.pipeline.flag.service.FlagService;
import dev.shoal.platform.client.UserDirectory;
import dev.shoal.platform.identity.Caller;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Pagure's commit flags over {@link FlagService}, each with its author's full name as Pagure shows it
 * ({@code user.fullname}): asked of the gateway's user directory once per author. An author the
 * directory does not know (or a directory that does not answer) shows the login instead.
 */
@ApplicationScoped
public class PagureFlagService {

    private static final Logger LOG = Logger.getLogger(PagureFlagService.class);

    /** A flag and its author's full name ({@code null} when the flag has no author). */
    public record ShownFlag(CommitFlag flag, String fullName) {
    }

    public record Saved(ShownFlag shown, boolean created) {
    }

    private final FlagService flags;
    private final UserDirectory users;

    public PagureFlagService(FlagService flags, UserDirectory users) {
        this.flags = flags;
        this.users = users;
    }

    public Uni<List<ShownFlag>> list(Caller caller, String org, String repo, String commit) {
        return flags.repo(org, repo, caller.repoId()).chain(found -> flags.list(found, commit)).chain(list -> fullNames(list)
                .map(names -> list.stream().map(flag -> shown(flag, names)).toList()));
    }

    /** Saves the flag; {@code created} tells Pagure's "Flag added" from "Flag updated". */
    public Uni<Saved> save(Caller caller, String org, String repo, String commit, CommitFlag.NewFlag flag) {
        return flags.repo(org, repo, caller.repoId()).chain(found -> flags.save(found, commit, flag))
                .chain(saved -> fullNames(List.of(saved.flag())).map(names -> new Saved(shown(saved.flag(), names), saved.created())));
    }

    private Uni<Map<Long, String>> fullNames(List<CommitFlag> list) {
        List<Long> ids = list.stream().map(CommitFlag::userId).filter(Objects::nonNull).distinct().toList();
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return Multi.createFrom().iterable(ids)
                .onItem().transformToUniAndMerge(id -> users.byId(id)
                        .onFailure().invoke(e -> LOG.debugf("no full name for user %d: %s", id, e.getMessage()))
                        .onFailure().recoverWithItem(Optional.empty()))
                .filter(Optional::isPresent).map(Optional::get)
                .collect().asList()
                .map(found -> found.stream().collect(Collectors.toMap(UserDirectory.User::id, UserDirectory.User::fullName,
                        (a, b) -> a)));
    }

    private static ShownFlag shown(CommitFlag flag, Map<Long, String> names) {
        if (flag.userLogin() == null) {
            return new ShownFlag(flag, null);
        }
        String name = flag.userId() == null ? null : names.get(flag.userId());
        return new ShownFlag(flag, name != null ? name : flag.userLogin());
    }
}
