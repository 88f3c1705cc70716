package dev.shoal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Issue #12's "secrets never leak" on the running stack: a pipeline that prints a CI secret, and
 * the secrets of webhooks, tokens and agents handed to the stack; at the end, a search for every
 * one of them in all files under SHOAL_HOME, every stored step log and every answer the suite got.
 */
final class SecretChecks {

    private final StackClient client;

    SecretChecks(StackClient client) {
        this.client = client;
    }

    /**
     * A repository secret echoed by a step (plain, twice in a line, on stderr, through printenv)
     * is stored masked; secrets also go into refused requests, whose error answers must not repeat
     * them, and a revoked token's refusal must not show it.
     */
    String pipelineSecretIsMasked() throws Exception {
        String url = client.url();
        String admin = client.adminToken();
        client.createRepo("vault", "app", true);
        String value = "ci-secret-" + UUID.randomUUID();
        client.rememberSecret("CI secret vault/app deploy_key", value);
        String secrets = url + "/api/v1/repos/vault/app/secrets";
        HttpResponse<String> created = client.send("POST", secrets, admin,
                "{\"name\":\"deploy_key\",\"value\":\"" + value + "\",\"events\":[\"push\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        HttpResponse<String> refused = client.send("POST", secrets, admin, "{\"name\":\"bad name!\",\"value\":\"" + value + "\"}");
        assertThat(refused.statusCode()).as(refused.body()).isBetween(400, 499);
        assertThat(client.send("GET", secrets, admin, null).body()).contains("deploy_key");

        String hookSecret = "vault-hook-" + UUID.randomUUID();
        client.rememberSecret("webhook secret of vault/app", hookSecret);
        HttpResponse<String> hook = client.send("POST", url + "/api/v1/repos/vault/app/webhooks", admin,
                "{\"url\":\"http://127.0.0.1:9/hook\",\"secret\":\"" + hookSecret + "\",\"events\":[\"push\"]}");
        assertThat(hook.statusCode()).as(hook.body()).isEqualTo(201);
        String badHookSecret = "vault-refused-hook-" + UUID.randomUUID();
        client.rememberSecret("webhook secret of a refused hook", badHookSecret);
        HttpResponse<String> badHook = client.send("POST", url + "/api/v1/repos/vault/app/webhooks", admin,
                "{\"url\":\"not a url\",\"secret\":\"" + badHookSecret + "\",\"events\":[\"push\"]}");
        assertThat(badHook.statusCode()).as(badHook.body()).isBetween(400, 499);
        client.send("GET", url + "/api/v1/repos/vault/app/webhooks", admin, null);

        HttpResponse<String> agent = client.sendUnrecorded("POST", url + "/api/v1/admin/agents", admin, "{\"name\":\"scan-agent\"}");
        assertThat(agent.statusCode()).isEqualTo(201);
        client.rememberSecret("agent token scan-agent", client.json(agent).path("data").path("token").asText());
        client.send("GET", url + "/api/v1/admin/agents", admin, null);

        HttpResponse<String> token = client.sendUnrecorded("POST", url + "/api/v1/user/tokens", admin,
                "{\"name\":\"revoked\",\"scopes\":[\"read\"]}");
        assertThat(token.statusCode()).isEqualTo(201);
        String revoked = client.json(token).path("data").path("token").asText();
        client.rememberSecret("token revoked", revoked);
        assertThat(client.get(url + "/api/v1/user", revoked).statusCode()).isEqualTo(200);
        HttpResponse<String> revoke = client.send("DELETE", url + "/api/v1/user/tokens/" + client.json(token).path("data").path("id").asLong(),
                admin, null);
        assertThat(revoke.statusCode()).as(revoke.body()).isEqualTo(204);
        assertThat(client.get(url + "/api/v1/user", revoked).statusCode()).isEqualTo(401);
        client.send("GET", url + "/api/v1/user/tokens", admin, null);

        Path work = client.workspace("vault");
        StackClient.git(work, "init", "-q", "-b", "main");
        StackClient.commitFile(work, ".shoal.yml", String.join("\n", "steps:", "  - name: leak", "    image: alpine",
                "    environment:", "      DEPLOY_KEY:", "        from_secret: deploy_key", "    commands:",
                // Single-quoted: a plain YAML scalar with ': ' in it would be a mapping.
                "      - 'echo \"plain: $DEPLOY_KEY\"'", "      - 'echo \"twice: $DEPLOY_KEY-$DEPLOY_KEY\"'",
                "      - 'echo \"stderr: $DEPLOY_KEY\" >&2'", "      - printenv DEPLOY_KEY", "      - echo leak-done", ""),
                "a step that prints its secret");
        StackClient.git(work, "push", "-q", client.remote("vault", "app", admin), "main");
        JsonNode pipeline = client.finishedPipeline(url + "/api/v1/repos/vault/app/pipelines/1", admin, Duration.ofSeconds(90));
        assertThat(pipeline.path("status").asText()).as(pipeline.toString()).isEqualTo("success");
        String log = client.get(url + "/api/v1/repos/vault/app/pipelines/1/steps/1/log", admin).body();
        assertThat(log).as("the step log").contains("leak-done").doesNotContain(value)
                .contains("plain: ********", "twice: ********-********", "stderr: ********");
        return "CI secret printed 5 ways and masked in the stored log";
    }

    /**
     * Searches every remembered secret, the admin token and the local agent's token in all files
     * under {@code home} (but {@link SecretScanner#EXCLUDED}), in every stored step log of every
     * repository the suite made, and in every answer the suite recorded.
     */
    String nothingLeaks(Path home) throws Exception {
        Map<String, String> secrets = new LinkedHashMap<>(client.secrets());
        secrets.put("admin token", client.adminToken());
        String agentToken = Files.readString(home.resolve("agent-token")).strip();
        secrets.put("local agent token", agentToken);
        SecretScanner scanner = new SecretScanner(secrets);

        List<String> found = new ArrayList<>();
        int logs = 0;
        long logBytes = 0;
        for (String repo : client.createdRepos()) {
            String[] name = repo.split("/");
            for (JsonNode listed : client.pipelines(name[0], name[1])) {
                String pipelineUrl = client.url() + "/api/v1/repos/" + repo + "/pipelines/" + listed.path("number").asInt();
                JsonNode pipeline = client.json(client.get(pipelineUrl, client.adminToken()));
                for (JsonNode step : pipeline.path("steps")) {
                    String log = client.get(pipelineUrl + "/steps/" + step.path("number").asInt() + "/log", client.adminToken()).body();
                    logs++;
                    logBytes += log.length();
                    scanner.scan(log).forEach(label -> found.add("step log " + pipelineUrl + "/steps/" + step.path("number") + ": " + label));
                }
            }
        }
        List<String> bodies = client.recordedBodies();
        long bodyBytes = 0;
        for (String body : bodies) {
            bodyBytes += body.length();
            for (String label : scanner.scan(body)) {
                found.add("API answer: " + label + " in " + body.substring(0, Math.min(300, body.length())));
            }
        }
        List<String> inFiles = scanner.scanFiles(home);
        inFiles.forEach(f -> found.add("file " + f));
        String summary = String.format("secret scan: %d secrets; %d files (%d bytes) under SHOAL_HOME, excluding %s; %d step logs "
                        + "(%d bytes); %d recorded API answers (%d bytes; %d one-time create answers left out)",
                secrets.size(), scanner.filesScanned(), scanner.bytesScanned(), SecretScanner.EXCLUDED.keySet(), logs, logBytes,
                bodies.size(), bodyBytes, client.unrecordedCount());
        System.out.println(summary);
        assertThat(found).as("secret values found outside the places meant to hold them").isEmpty();
        assertThat(logs).as("step logs read").isPositive();
        return summary;
    }
}
