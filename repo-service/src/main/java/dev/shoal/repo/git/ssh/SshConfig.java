package dev.shoal.repo.git.ssh;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

/** The git-over-SSH server ({@code SHOAL_SSH_*}; ADR 0010). */
@ConfigMapping(prefix = "shoal.repo.ssh")
public interface SshConfig {

    /** Whether this process runs the SSH server. */
    @WithDefault("true")
    boolean enabled();

    /** Port to listen on; 0 picks a free one (tests). */
    @WithDefault("8086")
    int port();

    /** Address to listen on. */
    @WithDefault("0.0.0.0")
    String bindAddress();

    /** Directory of the host key, generated on first start ({@code ssh_host_ecdsa_key}, mode 600). */
    @WithDefault(".shoal/keys")
    Path keyDir();

    /** A connection that sends nothing for this long is closed. */
    @WithDefault("10m")
    Duration idleTimeout();

    /** Largest number of git commands running at once; more wait for a free slot. */
    @WithDefault("32")
    int maxCommands();
}
