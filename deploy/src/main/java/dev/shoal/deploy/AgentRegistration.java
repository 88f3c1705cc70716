package dev.shoal.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Registers the local CI agent once through the public admin API and keeps its token in
 * SHOAL_HOME/agent-token, so later starts reuse the same agent identity.
 */
final class AgentRegistration {

    static final String AGENT_NAME = "local-agent";

    private final ObjectMapper mapper = new ObjectMapper();
    private final RunFiles files;

    AgentRegistration(RunFiles files) {
        this.files = files;
    }

    /** The agent's token, registering the agent if this SHOAL_HOME has none yet; empty when that fails. */
    Optional<String> token(String gatewayUrl, String adminToken) {
        Optional<String> kept = files.readSecret(files.agentToken());
        if (kept.isPresent()) {
            return kept;
        }
        try {
            // A loaded machine answers slowly right after start; a registration cut short by our
            // timeout might still succeed server-side, and its token, shown once, would be lost.
            LocalHttp.Response response = LocalHttp.send("POST", gatewayUrl + "/api/v1/admin/agents", adminToken,
                    "{\"name\":\"" + AGENT_NAME + "\"}", Duration.ofSeconds(2), Duration.ofSeconds(60));
            if (response.status() / 100 != 2) {
                Launcher.say("warning: registering the CI agent answered " + response.status() + ": "
                        + abbreviate(response.body()));
                return Optional.empty();
            }
            JsonNode token = mapper.readTree(response.body()).path("data").path("token");
            if (!token.isTextual() || token.asText().isBlank()) {
                Launcher.say("warning: registering the CI agent gave no data.token: " + abbreviate(response.body()));
                return Optional.empty();
            }
            files.writeSecret(files.agentToken(), token.asText() + "\n");
            Launcher.say("registered CI agent '" + AGENT_NAME + "'; its token is kept in " + files.agentToken());
            return Optional.of(token.asText());
        } catch (IOException e) {
            Launcher.say("warning: cannot register the CI agent: " + e.getMessage());
            return Optional.empty();
        }
    }

    private static String abbreviate(String body) {
        String flat = body == null ? "" : body.replaceAll("\\s+", " ").strip();
        return flat.length() > 300 ? flat.substring(0, 300) + "…" : flat;
    }
}
