package dev.shoal.repo.compat.storage.client;

import dev.shoal.platform.client.ServiceClient;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.Set;

/** {@link StorageTokenCheck} over the gateway's internal {@code POST /internal/storage-tokens/verify}. */
@ApplicationScoped
public class GatewayStorageTokenCheck implements StorageTokenCheck {

    private final ServiceClient client;

    public GatewayStorageTokenCheck(ServiceClient client) {
        this.client = client;
    }

    @Override
    public Uni<Verified> verify(String token) {
        return client.post("gateway", "/internal/storage-tokens/verify", new JsonObject().put("token", token))
                .map(data -> {
                    JsonArray scopes = data.getJsonArray("scopes", new JsonArray());
                    Set<String> set = new HashSet<>();
                    scopes.forEach(s -> set.add(String.valueOf(s)));
                    return new Verified(data.getString("issuer"), data.getString("repo"), Set.copyOf(set));
                });
    }
}
