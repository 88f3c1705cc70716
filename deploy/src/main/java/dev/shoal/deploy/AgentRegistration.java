package dev.shoal.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Registers the local CI agent once through the public admin API and keeps its token in
 * SHOAL_HOME/agent-token, so later starts reuse the same agent identity.
 */
final class AgentRegistration {

    static final String AGENT_NAME = "local-agent";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
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
        HttpRequest request = HttpRequest.newBuilder(URI.create(gatewayUrl + "/api/v1/admin/agents"))
                // A loaded machine answers slowly right after start; a registration cut short by our
                // timeout might still succeed server-side, and its token, shown once, would be lost.
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + AGENT_NAME + "\"}"))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                Launcher.say("warning: registering the CI agent answered " + response.statusCode() + ": "
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
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static String abbreviate(String body) {
        String flat = body == null ? "" : body.replaceAll("\\s+", " ").strip();
        return flat.length() > 300 ? flat.substring(0, 300) + "…" : flat;
    }
}
