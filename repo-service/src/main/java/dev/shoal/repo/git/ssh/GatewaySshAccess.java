package dev.shoal.repo.git.ssh;

import dev.shoal.platform.client.ServiceClient;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/** {@link SshAccess} over the gateway's {@code /internal/ssh/…}, asked with repo-service's own service token. */
@ApplicationScoped
public class GatewaySshAccess implements SshAccess {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final ServiceClient client;

    public GatewaySshAccess(ServiceClient client) {
        this.client = client;
    }

    @Override
    public Holder holder(String fingerprint) {
        JsonObject data = ask("/internal/ssh/keys/verify", new JsonObject().put("fingerprint", fingerprint));
        return new Holder(data.getString("kind"), data.getString("name"));
    }

    @Override
    public Grant access(String fingerprint, String org, String repo, boolean write) {
        JsonObject data = ask("/internal/ssh/access", new JsonObject().put("fingerprint", fingerprint).put("org", org)
                .put("repo", repo).put("action", write ? "write" : "read"));
        return new Grant(data.getString("token"), data.getLong("repo_id"));
    }

    private JsonObject ask(String path, JsonObject body) {
        return client.post("gateway", path, body).await().atMost(TIMEOUT);
    }
}
