package dev.shoal.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The registry credentials of a claimed pipeline as a Docker client configuration: a directory
 * holding {@code config.json} with {@code auths}, named by {@code DOCKER_CONFIG} for the agent's
 * {@code docker} commands only. It lives beside the workspace (not in it: the workspace is mounted
 * into the steps' containers) and is deleted with it.
 */
public final class DockerConfig {

    /** The key {@code docker login} writes for Docker Hub, whatever name the registry was saved under. */
    static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";
    private static final Set<String> HUB_ALIASES = Set.of("docker.io", "index.docker.io", "registry-1.docker.io",
            "registry.hub.docker.com");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Credentials for one registry, as the work carries them. */
    public record Registry(String address, String username, String password) {

        @Override
        public String toString() {
            return "Registry[" + address + "]"; // never the password
        }
    }

    private DockerConfig() {
    }

    /** The registries of a poll answer's {@code registries}; entries without an address or username are left out. */
    static List<Registry> registries(JsonNode work) {
        List<Registry> list = new ArrayList<>();
        work.path("registries").forEach(r -> {
            String address = r.path("address").asText("");
            String username = r.path("username").asText("");
            if (!address.isBlank() && !username.isEmpty()) {
                list.add(new Registry(address, username, r.path("password").asText("")));
            }
        });
        return list;
    }

    /**
     * The {@code auths} key Docker looks credentials up by: the registry host (with its port), or
     * Docker Hub's fixed key for any of its names. A path in the address is dropped: Docker keeps
     * one credential per registry host.
     */
    static String authKey(String address) {
        String a = address.strip();
        int scheme = a.indexOf("://");
        if (scheme >= 0) {
            a = a.substring(scheme + 3);
        }
        int slash = a.indexOf('/');
        String host = (slash < 0 ? a : a.substring(0, slash)).toLowerCase(Locale.ROOT);
        return HUB_ALIASES.contains(host) ? DOCKER_HUB_KEY : host;
    }

    /** The content of {@code config.json}; the first registry of a host wins (the server lists the closest first). */
    static String json(List<Registry> registries) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode auths = root.putObject("auths");
        for (Registry r : registries) {
            String key = authKey(r.address());
            if (!auths.has(key)) {
                String auth = Base64.getEncoder().encodeToString((r.username() + ":" + r.password())
                        .getBytes(StandardCharsets.UTF_8));
                auths.putObject(key).put("auth", auth);
            }
        }
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes {@code dir/config.json} readable by this user only and answers {@code dir}, the value
     * for {@code DOCKER_CONFIG}.
     */
    static Path write(Path dir, List<Registry> registries) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("config.json");
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (posix) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(file, json(registries), StandardCharsets.UTF_8);
        return dir;
    }
}
