package dev.shoal.repo.compat.storage.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.platform.identity.CurrentCaller;
import dev.shoal.repo.git.Workers;
import dev.shoal.repo.repo.Repo;
import dev.shoal.repo.compat.storage.StorageIdentity;
import dev.shoal.repo.compat.storage.service.StorageRepos;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.BiFunction;

/**
 * The shape of most Code Storage calls: an optional JSON body read with the application's mapper;
 * the gateway-vouched storage caller must hold {@code scope}; the repository its JWT names is
 * resolved; then the work (JGit) runs on the worker pool.
 */
@ApplicationScoped
public class StorageCalls {

    private final StorageRepos repos;
    private final CurrentCaller caller;
    private final ObjectMapper json;

    public StorageCalls(StorageRepos repos, CurrentCaller caller, ObjectMapper json) {
        this.repos = repos;
        this.caller = caller;
        this.json = json;
    }

    /** The body (unknown fields, wrong types, bad JSON: 400 through the error mappers); absent → null. */
    public <T> T body(String body, Class<T> type) throws JsonProcessingException {
        return body == null || body.isBlank() ? null : json.readValue(body, type);
    }

    public <T> Uni<T> onRepo(StorageHeaders headers, String scope, BiFunction<Repo, StorageIdentity, T> work) {
        StorageIdentity who = headers.identity(caller.get());
        who.require(scope);
        return repos.resolve(who).chain(r -> Workers.run(() -> work.apply(r, who)));
    }
}
