package dev.shoal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerConfigTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void authKeysAreRegistryHostsAndDockerHubsFixedKey() {
        assertThat(DockerConfig.authKey("ghcr.io")).isEqualTo("ghcr.io");
        assertThat(DockerConfig.authKey("ghcr.io/team")).isEqualTo("ghcr.io");
        assertThat(DockerConfig.authKey("https://Registry.Example.com:5000/")).isEqualTo("registry.example.com:5000");
        assertThat(DockerConfig.authKey("docker.io")).isEqualTo("https://index.docker.io/v1/");
        assertThat(DockerConfig.authKey("index.docker.io")).isEqualTo("https://index.docker.io/v1/");
        assertThat(DockerConfig.authKey("https://index.docker.io/v1/")).isEqualTo("https://index.docker.io/v1/");
    }

    @Test
    void writesAuthsReadableByTheAgentOnly(@TempDir Path tmp) throws Exception {
        JsonNode work = MAPPER.readTree("""
                {"registries": [
                  {"address": "ghcr.io/team", "username": "bot", "password": "p:w"},
                  {"address": "ghcr.io", "username": "other", "password": "ignored"},
                  {"address": "docker.io", "username": "hub", "password": "h"},
                  {"address": "", "username": "x", "password": "y"}
                ]}""");
        List<DockerConfig.Registry> registries = DockerConfig.registries(work);
        assertThat(registries).extracting(DockerConfig.Registry::address).containsExactly("ghcr.io/team", "ghcr.io", "docker.io");
        assertThat(registries.toString()).doesNotContain("p:w");

        Path dir = DockerConfig.write(tmp.resolve("docker"), registries);
        Path file = dir.resolve("config.json");
        JsonNode config = MAPPER.readTree(Files.readString(file));
        assertThat(config.path("auths").size()).isEqualTo(2);
        // The first registry of a host wins: the server lists the most specific first.
        assertThat(decode(config.path("auths").path("ghcr.io").path("auth").asText())).isEqualTo("bot:p:w");
        assertThat(decode(config.path("auths").path("https://index.docker.io/v1/").path("auth").asText())).isEqualTo("hub:h");
        if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        }
    }

    private static String decode(String auth) {
        return new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
    }
}
