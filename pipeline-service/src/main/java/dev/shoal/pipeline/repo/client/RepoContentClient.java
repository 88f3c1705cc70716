package dev.shoal.pipeline.repo.client;

import dev.shoal.pipeline.repo.Repo;
import dev.shoal.platform.event.schema.RepoPushed;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Optional;

/** What pipeline-service asks repo-service: repository facts, ref resolution, commits, and pipeline files. */
public interface RepoContentClient {

    record TreeEntry(String name, boolean isDir, long size) {
    }

    /** The repository by id; empty when repo-service does not know it. */
    Uni<Optional<Repo>> repo(long repoId);

    /** The commit a ref (branch, tag, sha, or {@code default}) points at; empty when unknown. */
    Uni<Optional<String>> resolve(long repoId, String ref);

    /** The commit a ref or sha names, as push events describe it; empty when unknown. */
    Uni<Optional<RepoPushed.Commit>> commit(long repoId, String ref);

    /** Entries of a directory at a commit; empty when the directory does not exist. */
    Uni<List<TreeEntry>> tree(long repoId, String ref, String path);

    /** The repository's branch names (repo-service's branch list, read with this service's token). */
    Uni<List<String>> branches(Repo repo);

    /** A file's bytes at a commit; empty when it does not exist. */
    Uni<Optional<byte[]>> file(long repoId, String ref, String path);
}
