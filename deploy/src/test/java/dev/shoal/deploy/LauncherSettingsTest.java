package dev.shoal.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
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
        assertThat(settings.kafkaPort()).isEqualTo(19092);
        assertThat(settings.kafkaControllerPort()).isEqualTo(19093);
        assertThat(settings.postgresPort()).as("0: a free port at start").isZero();
        assertThat(settings.readyTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(settings.adminToken()).isEmpty();
        assertThat(settings.serviceJavaOptions()).contains("-Xmx384m");
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
}
