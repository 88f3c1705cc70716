package dev.shoal.pipeline.registry;

import java.util.Locale;
import java.util.Set;

/**
 * Which registry an image comes from, by Docker's rules: the first path component is a registry
 * host when it has a '.' or a ':' or is {@code localhost}; otherwise the image is on Docker Hub
 * ({@code golang:1.22} is {@code docker.io/library/golang}). Docker Hub's other names
 * ({@code index.docker.io}, {@code registry-1.docker.io}) count as {@code docker.io}.
 *
 * @param host the registry host (with its port, if any), lower case
 * @param path the repository path inside the registry, without tag or digest
 */
public record ImageReference(String host, String path) {

    public static final String DOCKER_HUB = "docker.io";
    private static final Set<String> HUB_ALIASES = Set.of("docker.io", "index.docker.io", "registry-1.docker.io",
            "registry.hub.docker.com");

    /** The image's registry and path; null for a blank image. */
    public static ImageReference parse(String image) {
        if (image == null || image.isBlank()) {
            return null;
        }
        String ref = image.strip();
        int at = ref.indexOf('@');
        if (at >= 0) {
            ref = ref.substring(0, at);
        }
        int slash = ref.indexOf('/');
        String host;
        String path;
        String first = slash < 0 ? null : ref.substring(0, slash);
        if (first != null && (first.contains(".") || first.contains(":") || first.equals("localhost"))) {
            host = normalizeHost(first);
            path = ref.substring(slash + 1);
        } else {
            host = DOCKER_HUB;
            path = slash < 0 ? "library/" + ref : ref;
        }
        int colon = path.lastIndexOf(':');
        if (colon > path.lastIndexOf('/')) {
            path = path.substring(0, colon);
        }
        if (DOCKER_HUB.equals(host) && path.indexOf('/') < 0) {
            path = "library/" + path;
        }
        return new ImageReference(host, path);
    }

    /**
     * Whether credentials stored for {@code address} ({@code host[:port][/path]}, as a registry is
     * saved) apply to this image: same host, and the image's path inside the address's path when it has one.
     */
    public boolean matches(String address) {
        if (address == null || address.isBlank()) {
            return false;
        }
        String a = address.strip();
        int scheme = a.indexOf("://");
        if (scheme >= 0) {
            a = a.substring(scheme + 3);
        }
        while (a.endsWith("/")) {
            a = a.substring(0, a.length() - 1);
        }
        int slash = a.indexOf('/');
        String addressHost = normalizeHost(slash < 0 ? a : a.substring(0, slash));
        String addressPath = slash < 0 ? "" : a.substring(slash + 1);
        if (DOCKER_HUB.equals(addressHost) && addressPath.equals("v1")) {
            addressPath = ""; // https://index.docker.io/v1/, the key docker login writes for Docker Hub
        }
        if (!host.equals(addressHost)) {
            return false;
        }
        return addressPath.isEmpty() || path.equals(addressPath) || path.startsWith(addressPath + "/");
    }

    static String normalizeHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return HUB_ALIASES.contains(h) ? DOCKER_HUB : h;
    }
}
