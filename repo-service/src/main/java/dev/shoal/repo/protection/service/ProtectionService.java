package dev.shoal.repo.protection.service;

import dev.shoal.platform.identity.Caller;
import dev.shoal.repo.protection.BranchProtection;
import dev.shoal.repo.repo.service.RepoNames;
import dev.shoal.repo.repo.service.RepoService;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

@ApplicationScoped
public class ProtectionService {

    private final Pool pool;
    private final ProtectionRepository protections;
    private final RepoService repos;

    public ProtectionService(Pool pool, ProtectionRepository protections, RepoService repos) {
        this.pool = pool;
        this.protections = protections;
        this.repos = repos;
    }

    public Uni<BranchProtection> get(Caller caller, String org, String name, String branch) {
        RepoNames.requireValidBranch("branch", branch);
        return repos.visible(caller, org, name)
                .chain(repo -> protections.find(pool, repo.id(), branch))
                .map(since -> since == null ? BranchProtection.off(branch) : BranchProtection.on(branch, since));
    }

    public Uni<BranchProtection> protect(Caller caller, String org, String name, String branch) {
        RepoNames.requireValidBranch("branch", branch);
        return repos.visible(caller, org, name)
                .chain(repo -> pool.withTransaction(tx -> protections.upsert(tx, repo.id(), branch)))
                .map(since -> BranchProtection.on(branch, since));
    }

    public Uni<Void> unprotect(Caller caller, String org, String name, String branch) {
        RepoNames.requireValidBranch("branch", branch);
        return repos.visible(caller, org, name)
                .chain(repo -> pool.withTransaction(tx -> protections.delete(tx, repo.id(), branch)));
    }

    public Uni<Set<String>> protectedBranches(long repoId) {
        return protections.all(pool, repoId);
    }
}
