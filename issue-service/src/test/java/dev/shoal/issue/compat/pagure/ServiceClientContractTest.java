package dev.shoal.issue.compat.pagure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.shoal.issue.compat.pagure.client.CommitFlags;
import dev.shoal.issue.compat.pagure.client.GatewayOrgRoles;
import dev.shoal.issue.compat.pagure.client.PipelineCommitFlags;
import dev.shoal.platform.client.GatewayUserDirectory;
import dev.shoal.platform.client.ServiceClient;
import dev.shoal.platform.client.UserDirectory;
import dev.shoal.platform.error.ApiException;
import dev.shoal.platform.testing.ShoalTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP clients of the Pagure API against stand-ins that answer exactly as the gateway's
 * {@code /internal/orgs/{org}/members/{userId}} and pipeline-service's
 * {@code /internal/repos/{id}/commits/{sha}/flags} and {@code /internal/users/...} do (envelopes, field names, errors), so the
 * wire contract is checked here even though those services do not run in this module's tests.
 */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "issue_test"))
class ServiceClientContractTest {

    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    ServiceClient client;

    @Inject
    ObjectMapper mapper;

    HttpServer server;
    final Map<String, String> received = new ConcurrentHashMap<>();

    @BeforeEach
    void standIns() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/internal/orgs/", exchange -> {
            received.put("auth", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/internal/orgs/ghost/")) {
                send(exchange, 404, "{\"error\":{\"code\":\"not_found\",\"message\":\"organization 'ghost' not found\"}}");
            } else if (path.equals("/internal/orgs/acme/members/42")) {
                send(exchange, 200, "{\"data\":{\"role\":\"member\",\"org_id\":1}}");
            } else if (path.equals("/internal/orgs/boss/members/42")) {
                send(exchange, 200, "{\"data\":{\"role\":\"owner\",\"org_id\":3}}");
            } else {
                send(exchange, 200, "{\"data\":{\"role\":\"none\",\"org_id\":2}}");
            }
        });
        server.createContext("/internal/users/", exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            String alice = "{\"data\":{\"id\":41,\"username\":\"alice\",\"email\":\"alice@example.com\","
                    + "\"display_name\":\"Alice Liddell\",\"is_admin\":false,\"avatar_url\":null,"
                    + "\"created_at\":\"2025-01-15T10:00:00Z\"}}";
            if (path.equals("/internal/users/by-name/alice") || path.equals("/internal/users/41")) {
                send(exchange, 200, alice);
            } else {
                send(exchange, 404, "{\"error\":{\"code\":\"not_found\",\"message\":\"no such user\"}}");
            }
        });
        server.createContext("/internal/repos/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String flag = "{\"uid\":\"lint-1\",\"commit_hash\":\"" + SHA + "\",\"username\":\"Lint\",\"comment\":\"ok\","
                    + "\"url\":\"https://lint.example.com\",\"status\":\"success\",\"percent\":100,\"user_id\":41,"
                    + "\"user_login\":\"alice\",\"created_at\":\"2025-01-15T10:00:00Z\",\"updated_at\":\"2025-01-15T10:05:00Z\"}";
            if (!path.equals("/internal/repos/5/commits/" + SHA + "/flags")) {
                send(exchange, 404, "{\"error\":{\"code\":\"ENOCOMMIT\",\"message\":\"No such commit found in this repository\"}}");
            } else if (exchange.getRequestMethod().equals("POST")) {
                received.put("body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                send(exchange, 200, "{\"data\":{\"flag\":" + flag + ",\"created\":true}}");
            } else {
                send(exchange, 200, "{\"data\":[" + flag + "]}");
            }
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        // only the clients built below use these URLs: the module's other tests replace them with doubles
        System.setProperty("shoal.services.gateway.url", url);
        System.setProperty("shoal.services.pipeline.url", url);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void orgRolesReadTheGatewaysMemberships() {
        GatewayOrgRoles roles = new GatewayOrgRoles(client);
        Set<String> member = roles.memberOf(42, List.of("acme", "other", "ghost", "boss")).await().atMost(WAIT);
        assertThat(member).containsExactlyInAnyOrder("acme", "boss");
        assertThat(received.get("auth")).startsWith("Bearer ");
        assertThat(roles.memberOf(42, List.of()).await().atMost(WAIT)).isEmpty();
    }

    @Test
    void commitFlagsSpeakPipelineServicesInternalApi() throws Exception {
        PipelineCommitFlags flags = new PipelineCommitFlags(client, mapper);
        CommitFlags.Saved saved = flags.save(5, SHA, new CommitFlags.NewFlag(null, "Lint", "ok", "https://lint.example.com",
                "success", 100, 41L, "alice")).await().atMost(WAIT);
        assertThat(saved.created()).isTrue();
        assertThat(saved.flag().uid()).isEqualTo("lint-1");
        assertThat(saved.flag().createdAt()).isEqualTo(java.time.Instant.parse("2025-01-15T10:00:00Z"));
        Map<String, Object> sent = mapper.readValue(received.get("body"), new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
        assertThat(sent).containsEntry("user_id", 41).containsEntry("user_login", "alice").containsEntry("status", "success")
                .doesNotContainKey("uid").doesNotContainKey("userId");

        List<CommitFlags.Flag> listed = flags.list(5, SHA).await().atMost(WAIT);
        assertThat(listed).extracting(CommitFlags.Flag::commitHash).containsExactly(SHA);
        assertThat(listed.get(0).percent()).isEqualTo(100);

        assertThatThrownBy(() -> flags.list(6, SHA).await().atMost(WAIT))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.code()).isEqualTo("ENOCOMMIT");
                });
    }

    @Test
    void theUserDirectoryReadsTheGatewaysUsers() {
        GatewayUserDirectory directory = new GatewayUserDirectory(client);
        UserDirectory.User alice = directory.byName("alice").await().atMost(WAIT).orElseThrow();
        assertThat(alice).isEqualTo(new UserDirectory.User(41, "alice", "alice@example.com", "Alice Liddell", false, null,
                java.time.Instant.parse("2025-01-15T10:00:00Z")));
        assertThat(alice.fullName()).isEqualTo("Alice Liddell");
        assertThat(directory.byId(41).await().atMost(WAIT)).contains(alice);
        assertThat(directory.byName("no body").await().atMost(WAIT)).isEmpty();
        assertThat(directory.byId(7).await().atMost(WAIT)).isEmpty();
    }

    @Test
    void aServiceThatDoesNotAnswerIsServiceUnavailable() {
        String nobody = "http://127.0.0.1:1";
        System.setProperty("shoal.services.gateway.url", nobody);
        System.setProperty("shoal.services.pipeline.url", nobody);
        assertThatThrownBy(() -> new GatewayUserDirectory(client).byName("alice").await().atMost(WAIT))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.code()).isEqualTo("service_unavailable");
                });
        assertThatThrownBy(() -> new PipelineCommitFlags(client, mapper).list(5, SHA).await().atMost(WAIT))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.code()).isEqualTo("service_unavailable");
                });
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
