package dev.shoal.pipeline.flag.service;

import dev.shoal.pipeline.flag.CommitFlag;
import dev.shoal.pipeline.flag.repository.FlagRepository;
import dev.shoal.pipeline.repo.Repo;
import dev.shoal.pipeline.repo.client.RepoContentClient;
import dev.shoal.pipeline.repo.service.RepoDirectory;
import dev.shoal.platform.error.ApiException;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ValidationException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Commit flags of a repository. The commit is resolved by repo-service first, so a flag always
 * names a full sha that exists there (an abbreviated sha is accepted and expanded).
 */
@ApplicationScoped
public class FlagService {

    private static final Pattern SHA = Pattern.compile("[0-9a-fA-F]{4,40}");
    private static final Pattern URL = Pattern.compile("(?i)https?://\\S+");

    private final Pool pool;
    private final FlagRepository flags;
    private final RepoDirectory directory;
    private final RepoContentClient content;

    public FlagService(Pool pool, FlagRepository flags, RepoDirectory directory, RepoContentClient content) {
        this.pool = pool;
        this.flags = flags;
        this.directory = directory;
        this.content = content;
    }

    /** The repository named by a route, with the gateway's repo id claim as a hint. */
    public Uni<Repo> repo(String org, String name, Long repoIdHint) {
        return directory.require(org, name, repoIdHint);
    }

    /** The repository by id, for internal callers (issue-service's pull request flags). */
    public Uni<Repo> repo(long repoId) {
        return directory.byId(pool, repoId).chain(found -> found.isPresent() ? Uni.createFrom().item(found.get())
                : content.repo(repoId).map(remote -> remote.orElseThrow(() -> new NotFoundException("repository " + repoId + " not found")))
                        .call(remote -> pool.withTransaction(tx -> directory.upsert(tx, remote))));
    }

    public Uni<List<CommitFlag>> list(Repo repo, String commit) {
        return commit(repo, commit).chain(sha -> flags.list(pool, repo.id(), sha));
    }

    public Uni<CommitFlag.Saved> save(Repo repo, String commit, CommitFlag.NewFlag flag) {
        CommitFlag.NewFlag clean = validate(flag);
        String uid = clean.uid() != null ? clean.uid() : UUID.randomUUID().toString().replace("-", "");
        return commit(repo, commit).chain(sha -> pool.withTransaction(tx -> flags.save(tx, repo.id(), sha, uid, clean)));
    }

    /** The full sha of {@code commit} in this repository; 404 {@code no_commit} when repo-service does not have it. */
    private Uni<String> commit(Repo repo, String commit) {
        if (commit == null || !SHA.matcher(commit).matches()) {
            throw new ApiException(404, "ENOCOMMIT", "No such commit found in this repository: give a commit hash (4-40 hex digits)");
        }
        return content.resolve(repo.id(), commit.toLowerCase(Locale.ROOT)).map(found -> {
            String sha = found.orElseThrow(() -> new ApiException(404, "ENOCOMMIT", "No such commit found in this repository"));
            if (!sha.startsWith(commit.toLowerCase(Locale.ROOT))) {
                // the ref resolved as a branch or tag name that happens to be hex; Pagure names commits only
                throw new ApiException(404, "ENOCOMMIT", "No such commit found in this repository");
            }
            return sha;
        });
    }

    static CommitFlag.NewFlag validate(CommitFlag.NewFlag in) {
        if (in == null) {
            throw new ValidationException("send the flag: username, comment, url, status (and optionally percent, uid)");
        }
        require("username", in.username(), 100);
        require("comment", in.comment(), 1000);
        require("url", in.url(), 2000);
        if (!URL.matcher(in.url().strip()).matches()) {
            throw new ValidationException("url must be an http(s) URL");
        }
        String status = in.status() == null ? null : in.status().strip().toLowerCase(Locale.ROOT);
        if (status == null || !CommitFlag.STATUSES.contains(status)) {
            throw new ValidationException("status is required: one of " + String.join(", ", CommitFlag.STATUSES));
        }
        if (in.percent() != null && (in.percent() < 0 || in.percent() > 100)) {
            throw new ValidationException("percent must be a whole number from 0 to 100");
        }
        String uid = in.uid() == null || in.uid().isBlank() ? null : in.uid().strip();
        if (uid != null && uid.length() > 32) {
            throw new ValidationException("uid must be at most 32 characters");
        }
        return new CommitFlag.NewFlag(uid, in.username().strip(), in.comment(), in.url().strip(), status, in.percent(),
                in.userId(), in.userLogin());
    }

    private static void require(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw new ValidationException(field + " is required");
        }
        if (value.length() > max) {
            throw new ValidationException(field + " must be at most " + max + " characters");
        }
    }
}
