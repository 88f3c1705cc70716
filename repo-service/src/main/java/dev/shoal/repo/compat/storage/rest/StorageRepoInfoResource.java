package dev.shoal.repo.compat.storage.rest;

import dev.shoal.platform.identity.CurrentCaller;
import dev.shoal.repo.compat.storage.StorageIdentity;
import dev.shoal.repo.compat.storage.StorageViews;
import dev.shoal.repo.compat.storage.service.StorageRepos;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The SDK's {@code findOne}: {@code GET /api/v1/repo} (singular, outside {@code /repos}) answers the
 * repository the token names. {@code url} is its git remote through the gateway.
 */
@Path("/storage/api/v1/repo")
@Produces(MediaType.APPLICATION_JSON)
public class StorageRepoInfoResource {

    private final StorageRepos repos;
    private final CurrentCaller caller;

    public StorageRepoInfoResource(StorageRepos repos, CurrentCaller caller) {
        this.repos = repos;
        this.caller = caller;
    }

    @GET
    public Uni<StorageViews.RepoInfo> info(@BeanParam StorageHeaders headers) {
        StorageIdentity who = headers.identity(caller.get());
        who.require("git:read");
        return repos.named(who).map(named -> repos.info(named.entry(), named.repo().defaultBranch(), named.repo().createdAt()));
    }
}
