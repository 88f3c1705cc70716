package dev.shoal.pipeline.support;

import dev.shoal.pipeline.repo.Repo;
import dev.shoal.pipeline.repo.client.RepoContentClient;
import dev.shoal.platform.event.schema.RepoPushed;
import io.quarkus.test.Mock;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * repo-service does not run in these tests: this double answers its internal API questions from
 * the real bare repositories of {@link GitRepos}, with the git command line.
 */
@Mock
public class GitRepoContentClient implements RepoContentClient {

    @Override
    public Uni<Optional<Repo>> repo(long repoId) {
        return Uni.createFrom().item(Optional.ofNullable(GitRepos.repo(repoId)));
    }

    @Override
    public Uni<Optional<String>> resolve(long repoId, String ref) {
        return blocking(() -> bare(repoId).map(b -> GitRepos.gitBytes(b, false, "rev-parse", "--verify", "-q", ref + "^{commit}"))
                .map(out -> new String(out, StandardCharsets.UTF_8).trim()));
    }

    @Override
    public Uni<List<TreeEntry>> tree(long repoId, String ref, String path) {
        return blocking(() -> {
            List<TreeEntry> entries = new ArrayList<>();
            Optional<Path> bare = bare(repoId);
            if (bare.isEmpty()) {
                return entries;
            }
            byte[] out = GitRepos.gitBytes(bare.get(), false, "ls-tree", "-l", path.isEmpty() ? ref : ref + ":" + path);
            if (out == null) {
                return entries;
            }
            for (String line : new String(out, StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                String[] meta = line.substring(0, line.indexOf('\t')).trim().split("\\s+");
                String name = line.substring(line.indexOf('\t') + 1);
                boolean dir = meta[1].equals("tree");
                entries.add(new TreeEntry(name, dir, dir ? 0 : Long.parseLong(meta[3])));
            }
            return entries;
        });
    }

    @Override
    public Uni<Optional<RepoPushed.Commit>> commit(long repoId, String ref) {
        return blocking(() -> bare(repoId)
                .map(b -> GitRepos.gitBytes(b, false, "log", "-1", "--format=%H%x00%an%x00%ae%x00%cI%x00%B", ref + "^{commit}", "--"))
                .map(out -> {
                    String[] f = new String(out, StandardCharsets.UTF_8).split("\0", 5);
                    return new RepoPushed.Commit(f[0], f[4].stripTrailing() + "\n", f[1] + " <" + f[2] + ">", f[1], f[2],
                            java.time.OffsetDateTime.parse(f[3]).toInstant());
                }));
    }

    @Override
    public Uni<List<String>> branches(Repo repo) {
        return blocking(() -> {
            List<String> names = new ArrayList<>();
            Optional<Path> bare = bare(repo.id());
            if (bare.isEmpty()) {
                return names;
            }
            byte[] out = GitRepos.gitBytes(bare.get(), false, "for-each-ref", "--format=%(refname:short)", "refs/heads/");
            if (out != null) {
                for (String line : new String(out, StandardCharsets.UTF_8).split("\n")) {
                    if (!line.isBlank()) {
                        names.add(line.trim());
                    }
                }
            }
            return names;
        });
    }

    @Override
    public Uni<Optional<byte[]>> file(long repoId, String ref, String path) {
        return blocking(() -> bare(repoId).map(b -> GitRepos.gitBytes(b, false, "show", ref + ":" + path)));
    }

    private static Optional<Path> bare(long repoId) {
        Repo repo = GitRepos.repo(repoId);
        return repo == null || !Files.exists(GitRepos.bare(repo)) ? Optional.empty() : Optional.of(GitRepos.bare(repo));
    }

    private static <T> Uni<T> blocking(Supplier<T> work) {
        return Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
