package dev.shoal.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LauncherSettingsTest {

    private static final Path ROOT = Path.of("/checkout");
    private static final Path HOME = Path.of("/checkout/.shoal");

    @Test
    void defaultsAreTheDocumentedPorts() {
        LauncherSettings settings = LauncherSettings.from(Map.of(), ROOT, HOME, false);

        assertThat(settings.gatewayPort()).isEqualTo(8080);
        assertThat(settings.repoPort()).isEqualTo(8081);
        assertThat(settings.issuePort()).isEqualTo(8082);
        assertThat(settings.pipelinePort()).isEqualTo(8083);
        assertThat(settings.webhookPort()).isEqualTo(8084);
        assertThat(settings.webPort()).as("web-ui: the webhook port + 1").isEqualTo(8085);
        assertThat(settings.sshPort()).as("git over SSH: the web-ui port + 1").isEqualTo(8086);
        assertThat(settings.kafkaPort()).isEqualTo(19092);
        assertThat(settings.kafkaControllerPort()).isEqualTo(19093);
        assertThat(settings.postgresPort()).as("0: a free port at start").isZero();
        assertThat(settings.readyTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(settings.adminToken()).isEmpty();
        assertThat(settings.serviceJavaOptions()).contains("-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError");
        // each service its own heap, after the common options so that it wins
        assertThat(settings.javaOptions("repo-service")).endsWith("-Xmx256m", "-Xms64m", "-Xmn12m");
        assertThat(settings.javaOptions("api-gateway")).endsWith("-Xmx128m");
        assertThat(settings.kafkaJavaOptions()).contains("-Xmx160m");
        assertThat(settings.agentJavaOptions()).contains("-Xmx96m");
    }

    @Test
    void memoryDefaultsGiveHeapBackAtOnceAndKeepC2ForTheApiServices() {
        LauncherSettings settings = LauncherSettings.from(Map.of(), ROOT, HOME, false);

        // every full collection gives back what exceeds MaxHeapFreeRatio, not a tenth of it
        assertThat(settings.serviceJavaOptions()).contains("-Xms16m", "-XX:MaxHeapFreeRatio=30", "-XX:-ShrinkHeapInSteps");
        assertThat(settings.agentJavaOptions()).contains("-Xms8m", "-XX:MaxHeapFreeRatio=30", "-XX:-ShrinkHeapInSteps");
        assertThat(settings.kafkaJavaOptions()).contains("-XX:-ShrinkHeapInSteps", "-Xmn8m");
        // the C heap's free pages go back every 5 s, so a reading right after a load does not find the compilers' arenas
        assertThat(settings.serviceJavaOptions()).contains("-XX:TrimNativeHeapInterval=5000");
        assertThat(settings.kafkaJavaOptions()).contains("-XX:TrimNativeHeapInterval=5000");
        assertThat(settings.agentJavaOptions()).contains("-XX:TrimNativeHeapInterval=5000");
        // web-ui, pipeline-service and webhook-service trade CPU for memory; the API services keep C2 for their req/s goals
        assertThat(settings.javaOptions("web-ui")).endsWith("-Xmx96m", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1",
                "-XX:ReservedCodeCacheSize=32m");
        for (String service : List.of("pipeline-service", "webhook-service")) {
            assertThat(settings.javaOptions(service)).as(service).endsWith("-Xmx128m", "-XX:TieredStopAtLevel=1",
                    "-XX:CICompilerCount=1", "-XX:ReservedCodeCacheSize=32m");
        }
        for (String service : List.of("api-gateway", "repo-service", "issue-service")) {
            assertThat(settings.javaOptions(service)).as(service).doesNotContain("-XX:TieredStopAtLevel=1");
        }
        assertThat(settings.classDataSharing()).as("class-data archives unless SHOAL_APPCDS=false").isTrue();
        assertThat(LauncherSettings.from(Map.of("SHOAL_APPCDS", " false "), ROOT, HOME, false).classDataSharing()).isFalse();
        assertThatThrownBy(() -> LauncherSettings.from(Map.of("SHOAL_APPCDS", "maybe"), ROOT, HOME, false))
                .isInstanceOf(LaunchFailure.class)
                .hasMessage("SHOAL_APPCDS must be true or false, got 'maybe'");
    }

    @Test
    void servicePortsFollowTheGatewayPortUnlessSetOneByOne() {
        LauncherSettings settings = LauncherSettings.from(
                Map.of("SHOAL_PORT", "18080", "SHOAL_WEBHOOK_PORT", "19999", "SHOAL_KAFKA_PORT", "19192"),
                ROOT, HOME, true);

        assertThat(settings.gatewayPort()).isEqualTo(18080);
        assertThat(settings.repoPort()).isEqualTo(18081);
        assertThat(settings.issuePort()).isEqualTo(18082);
        assertThat(settings.pipelinePort()).isEqualTo(18083);
        assertThat(settings.webhookPort()).isEqualTo(19999);
        assertThat(settings.webPort()).as("follows the webhook port unless set").isEqualTo(20000);
        assertThat(settings.kafkaControllerPort()).isEqualTo(19193);
        assertThat(settings.gatewayUrl()).isEqualTo("http://localhost:18080");
        assertThat(settings.kafkaBootstrapServers()).isEqualTo("localhost:19192");
    }

    @Test
    void adminTokenAndJavaOptionsPassThrough() {
        LauncherSettings settings = LauncherSettings.from(
                Map.of("SHOAL_ADMIN_TOKEN", " secret-token ", "SHOAL_SERVICE_JAVA_OPTS", " -Xmx256m  -XX:+UseSerialGC "),
                ROOT, HOME, false);

        assertThat(settings.adminToken()).contains("secret-token");
        assertThat(settings.serviceJavaOptions()).containsExactly("-Xmx256m", "-XX:+UseSerialGC");
        // An operator's common -Xmx is not overridden by the per-service defaults.
        assertThat(settings.javaOptions("repo-service")).containsExactly("-Xmx256m", "-XX:+UseSerialGC");
    }

    @Test
    void eachServiceKafkaAndTheAgentTakeTheirOwnJavaOptions() {
        LauncherSettings settings = LauncherSettings.from(Map.of(
                        "SHOAL_REPO_JAVA_OPTS", "-Xmx512m -Dx=1",
                        "SHOAL_GATEWAY_JAVA_OPTS", " -Xmx200m ",
                        "SHOAL_KAFKA_JAVA_OPTS", "-Xmx300m",
                        "SHOAL_AGENT_JAVA_OPTS", "-Xmx50m"),
                ROOT, HOME, false);

        assertThat(settings.javaOptions("repo-service")).startsWith("-XX:+UseSerialGC").endsWith("-Xmx512m", "-Dx=1");
        assertThat(settings.javaOptions("api-gateway")).endsWith("-Xmx200m").doesNotContain("-Xmx128m");
        assertThat(settings.javaOptions("issue-service")).endsWith("-Xmx128m");
        assertThat(settings.kafkaJavaOptions()).containsExactly("-Xmx300m");
        assertThat(settings.agentJavaOptions()).containsExactly("-Xmx50m");
        assertThat(LauncherSettings.javaOptsVariable("webhook-service")).isEqualTo("SHOAL_WEBHOOK_JAVA_OPTS");
        assertThat(LauncherSettings.javaOptsVariable("api-gateway")).isEqualTo("SHOAL_GATEWAY_JAVA_OPTS");
    }

    @Test
    void poolsAndPostgresAreSizedForTwoCoresUnlessTheOperatorSetsThem() {
        LauncherSettings defaults = LauncherSettings.from(Map.of(), ROOT, HOME, false);
        assertThat(defaults.serviceEnvironmentDefaults()).containsEntry("QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE", "10")
                .containsEntry("QUARKUS_DATASOURCE_REACTIVE_IDLE_TIMEOUT", "60s")
                .containsEntry("QUARKUS_THREAD_POOL_MAX_THREADS", "64");
        assertThat(defaults.postgresConfig()).containsEntry("max_connections", "100").containsEntry("shared_buffers", "32MB");
        assertThat(defaults.kafkaJavaOptions()).contains("-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1");

        LauncherSettings own = LauncherSettings.from(Map.of("QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE", "40",
                "SHOAL_PG_MAX_CONNECTIONS", "400", "SHOAL_PG_SHARED_BUFFERS", " 256MB "), ROOT, HOME, false);
        // the operator's own variable reaches the services unchanged (the launcher's environment is passed through)
        assertThat(own.serviceEnvironmentDefaults()).doesNotContainKey("QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE")
                .containsKey("QUARKUS_THREAD_POOL_MAX_THREADS");
        assertThat(own.postgresConfig()).containsEntry("max_connections", "400").containsEntry("shared_buffers", "256MB");

        assertThatThrownBy(() -> LauncherSettings.from(Map.of("SHOAL_PG_SHARED_BUFFERS", "lots"), ROOT, HOME, false))
                .isInstanceOf(LaunchFailure.class)
                .hasMessage("SHOAL_PG_SHARED_BUFFERS must be a size such as 32MB, 128MB or 1GB, got 'lots'");
        assertThatThrownBy(() -> LauncherSettings.from(Map.of("SHOAL_PG_MAX_CONNECTIONS", "0"), ROOT, HOME, false))
                .hasMessage("SHOAL_PG_MAX_CONNECTIONS must be a positive number, got '0'");
    }

    @Test
    void badValuesAreRefusedWithTheVariableName() {
        assertThatThrownBy(() -> LauncherSettings.from(Map.of("SHOAL_REPO_PORT", "http"), ROOT, HOME, false))
                .isInstanceOf(LaunchFailure.class)
                .hasMessage("SHOAL_REPO_PORT must be a whole number, got 'http'");
        assertThatThrownBy(() -> LauncherSettings.from(Map.of("SHOAL_PORT", "70000"), ROOT, HOME, false))
                .hasMessage("SHOAL_PORT must be a port number between 1 and 65535, got '70000'");
        assertThatThrownBy(() -> LauncherSettings.from(Map.of("SHOAL_READY_TIMEOUT", "0"), ROOT, HOME, false))
                .hasMessage("SHOAL_READY_TIMEOUT must be a positive number of seconds, got '0'");
    }

    @Test
    void theAgentWorksOutsideShoalHomeAndGetsItsTokenAsAFileOnly() {
        Path workdir = LauncherSettings.from(Map.of(), ROOT, HOME, false).agentWorkdir();
        assertThat(workdir.startsWith(HOME)).isFalse();
        assertThat(workdir.getFileName().toString()).startsWith("shoal-agent-");
        assertThat(LauncherSettings.from(Map.of(), ROOT, Path.of("/other/.shoal"), false).agentWorkdir()).isNotEqualTo(workdir);
        assertThat(LauncherSettings.from(Map.of("SHOAL_AGENT_WORKDIR", "/srv/ci"), ROOT, HOME, false).agentWorkdir())
                .isEqualTo(Path.of("/srv/ci"));
        assertThatThrownBy(() -> LauncherSettings.from(Map.of("SHOAL_AGENT_WORKDIR", "/checkout/.shoal/agent"), ROOT, HOME, false))
                .isInstanceOf(LaunchFailure.class).hasMessageContaining("must be outside SHOAL_HOME");

        Map<String, String> env = Launcher.agentEnvironment(Map.of("PATH", "/usr/bin", "SHOAL_ADMIN_TOKEN", "admin-secret",
                        "SHOAL_AGENT_TOKEN", "agent-secret", "SHOAL_AGENT_UNSAFE_HOST_STEPS", "false",
                        "QUARKUS_DATASOURCE_PASSWORD", "postgres"),
                "http://localhost:8080", HOME.resolve("agent-token"), Path.of("/tmp/shoal-agent-x"));
        assertThat(env).containsOnly(Map.entry("PATH", "/usr/bin"), Map.entry("SHOAL_AGENT_UNSAFE_HOST_STEPS", "false"),
                Map.entry("SHOAL_URL", "http://localhost:8080"),
                Map.entry("SHOAL_AGENT_TOKEN_FILE", "/checkout/.shoal/agent-token"),
                Map.entry("SHOAL_AGENT_WORKDIR", "/tmp/shoal-agent-x"));
    }
}
