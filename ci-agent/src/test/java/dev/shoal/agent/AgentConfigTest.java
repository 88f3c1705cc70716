package dev.shoal.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {

    @TempDir
    Path tmp;

    private Path tokenFile(String mode) throws Exception {
        Path file = Files.writeString(tmp.resolve("token-" + mode), "agt_secret\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    @Test
    void readsTheTokenFromAPrivateFileWithSafeDefaults() throws Exception {
        AgentConfig config = AgentConfig.fromEnvironment(Map.of("SHOAL_URL", "http://gw/",
                "SHOAL_AGENT_TOKEN_FILE", tokenFile("rw-------").toString()));
        assertThat(config.token()).isEqualTo("agt_secret");
        assertThat(config.unsafeHostSteps()).isFalse();
        assertThat(config.bwrap()).isEqualTo(Path.of("/usr/bin/bwrap"));
        assertThat(config.toString()).doesNotContain("agt_secret");
    }

    @Test
    void refusesTheTokenInTheEnvironmentOrInAFileOthersCanRead() throws Exception {
        assertThatThrownBy(() -> AgentConfig.fromEnvironment(Map.of("SHOAL_URL", "http://gw", "SHOAL_AGENT_TOKEN", "agt_x")))
                .hasMessageContaining("SHOAL_AGENT_TOKEN is not read").hasMessageContaining("SHOAL_AGENT_TOKEN_FILE");
        Path open = tokenFile("rw-r--r--");
        assertThatThrownBy(() -> AgentConfig.fromEnvironment(Map.of("SHOAL_URL", "http://gw", "SHOAL_AGENT_TOKEN_FILE",
                open.toString()))).hasMessageContaining("chmod 600");
        assertThatThrownBy(() -> AgentConfig.fromEnvironment(Map.of("SHOAL_URL", "http://gw")))
                .hasMessage("SHOAL_AGENT_TOKEN_FILE must be set");
    }

    @Test
    void theUnsafeSwitchAndSandboxSettingsAreExplicit() throws Exception {
        Path token = tokenFile("r--r-----");
        AgentConfig config = AgentConfig.fromEnvironment(Map.of("SHOAL_URL", "http://gw", "SHOAL_AGENT_TOKEN_FILE",
                token.toString(), "SHOAL_AGENT_UNSAFE_HOST_STEPS", "true", "SHOAL_AGENT_BWRAP", "/nowhere/bwrap",
                "SHOAL_AGENT_SANDBOX_RO_BINDS", "/opt/sdk, /srv/cache"));
        assertThat(config.unsafeHostSteps()).isTrue();
        assertThat(config.bwrap()).isEqualTo(Path.of("/nowhere/bwrap"));
        assertThat(config.sandboxReadOnly()).containsExactly(Path.of("/opt/sdk"), Path.of("/srv/cache"));
        assertThatThrownBy(() -> AgentConfig.fromEnvironment(Map.of("SHOAL_URL", "http://gw", "SHOAL_AGENT_TOKEN_FILE",
                token.toString(), "SHOAL_AGENT_UNSAFE_HOST_STEPS", "yes")))
                .hasMessage("SHOAL_AGENT_UNSAFE_HOST_STEPS must be true or false");
    }

    @Test
    void theStepNetworkIsIsolatedUnlessChosenOtherwise() throws Exception {
        Path token = tokenFile("r--------");
        AgentConfig config = AgentConfig.fromEnvironment(Map.of("SHOAL_URL", "http://gw", "SHOAL_AGENT_TOKEN_FILE",
                token.toString(), "PATH", "/nowhere"));
        assertThat(config.sandboxNetwork()).isEqualTo(Sandbox.Network.ISOLATED);
        assertThat(config.slirp4netns()).isEqualTo(Path.of("/usr/bin/slirp4netns"));
        assertThat(config.toString()).contains("sandboxNetwork=isolated");
        AgentConfig host = AgentConfig.fromEnvironment(Map.of("SHOAL_URL", "http://gw", "SHOAL_AGENT_TOKEN_FILE",
                token.toString(), "SHOAL_AGENT_SANDBOX_NETWORK", "host", "SHOAL_AGENT_SLIRP4NETNS", "/opt/slirp4netns"));
        assertThat(host.sandboxNetwork()).isEqualTo(Sandbox.Network.HOST);
        assertThat(host.slirp4netns()).isEqualTo(Path.of("/opt/slirp4netns"));
        assertThat(AgentConfig.fromEnvironment(Map.of("SHOAL_URL", "http://gw", "SHOAL_AGENT_TOKEN_FILE", token.toString(),
                "SHOAL_AGENT_SANDBOX_NETWORK", "none")).sandboxNetwork()).isEqualTo(Sandbox.Network.NONE);
        assertThatThrownBy(() -> AgentConfig.fromEnvironment(Map.of("SHOAL_URL", "http://gw", "SHOAL_AGENT_TOKEN_FILE",
                token.toString(), "SHOAL_AGENT_SANDBOX_NETWORK", "shared")))
                .hasMessageContaining("SHOAL_AGENT_SANDBOX_NETWORK must be isolated").hasMessageContaining("not 'shared'");
    }
}
