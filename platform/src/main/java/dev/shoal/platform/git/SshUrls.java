package dev.shoal.platform.git;

import dev.shoal.platform.config.PublicUrl;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The SSH clone URL of a repository, the same in every service that shows one (repository JSON,
 * Woodpecker's {@code clone_url_ssh}, Pagure's {@code git/urls}): {@code git@host:org/repo.git}
 * when the server listens on port 22, else {@code ssh://git@host:port/org/repo.git}. The host is
 * {@code shoal.ssh.public-host}, by default the host of {@code shoal.public-url}; the port is
 * {@code shoal.ssh.public-port}, by default the SSH server's own port (ADR 0010).
 */
@ApplicationScoped
public class SshUrls {

    private final String host;
    private final int port;

    public SshUrls(PublicUrl publicUrl,
                   @ConfigProperty(name = "shoal.ssh.public-host") Optional<String> publicHost,
                   @ConfigProperty(name = "shoal.ssh.public-port", defaultValue = "8086") int port) {
        this.host = publicHost.filter(h -> !h.isBlank()).orElseGet(() -> hostOf(publicUrl.base()));
        this.port = port;
    }

    public static String format(String host, int port, String org, String repo) {
        String printable = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return port == 22 ? "git@" + printable + ":" + org + "/" + repo + ".git"
                : "ssh://git@" + printable + ":" + port + "/" + org + "/" + repo + ".git";
    }

    public String of(String org, String repo) {
        return format(host, port, org, repo);
    }

    private static String hostOf(String url) {
        try {
            String host = URI.create(url).getHost();
            return host == null || host.isBlank() ? "localhost" : host;
        } catch (IllegalArgumentException e) {
            return "localhost";
        }
    }
}
