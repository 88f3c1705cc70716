package dev.shoal.repo.git.ssh;

import dev.shoal.repo.git.GitStore;
import dev.shoal.repo.git.service.GitPacks;
import dev.shoal.repo.repo.service.RepoService;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.jwt.auth.principal.JWTParser;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.jboss.logging.Logger;

/**
 * The git-over-SSH server (Apache MINA SSHD), in repo-service next to the repositories it serves
 * (ADR 0010). Public-key authentication only, keys known to the gateway; no passwords, no
 * keyboard-interactive, no port, agent or X11 forwarding, no subsystems; commands other than git's
 * refused. The host key is generated on first start and kept ({@code ssh_host_ecdsa_key}, mode 600).
 */
@ApplicationScoped
public class GitSshServer {

    static final String HOST_KEY_FILE = "ssh_host_ecdsa_key";
    /** MINA SSHD's switch between the EdDSA provider registered JVM-wide by name and its own instance. */
    static final String EDDSA_BY_NAME = "org.apache.sshd.security.provider.EdDSA.useNamed";
    private static final Logger LOG = Logger.getLogger(GitSshServer.class);

    private final SshConfig config;
    private final SshAccess gateway;
    private final JWTParser parser;
    private final RepoService repos;
    private final GitStore store;
    private final GitPacks packs;
    private SshServer server;
    private ExecutorService pool;

    public GitSshServer(SshConfig config, SshAccess gateway, JWTParser parser, RepoService repos, GitStore store, GitPacks packs) {
        this.config = config;
        this.gateway = gateway;
        this.parser = parser;
        this.repos = repos;
        this.store = store;
        this.packs = packs;
    }

    void onStart(@Observes StartupEvent event) throws IOException {
        if (!config.enabled()) {
            return;
        }
        useOwnEdDsaProvider();
        AtomicInteger threads = new AtomicInteger();
        pool = Executors.newFixedThreadPool(config.maxCommands(), r -> {
            Thread thread = new Thread(r, "git-ssh-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        SshServer sshd = SshServer.setUpDefaultServer();
        sshd.setHost(config.bindAddress());
        sshd.setPort(config.port());
        sshd.setKeyPairProvider(hostKeys(config.keyDir()));
        sshd.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        sshd.setPublickeyAuthenticator(new SshKeyAuthenticator(gateway));
        sshd.setPasswordAuthenticator(null);
        sshd.setKeyboardInteractiveAuthenticator(null);
        sshd.setGSSAuthenticator(null);
        sshd.setHostBasedAuthenticator(null);
        sshd.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
        sshd.setAgentFactory(null);
        sshd.setSubsystemFactories(List.of());
        GitSshCommandFactory commands = new GitSshCommandFactory(new GitSshCommand.Dependencies(gateway, parser, repos, store, packs, pool));
        sshd.setCommandFactory(commands);
        sshd.setShellFactory(commands);
        CoreModuleProperties.IDLE_TIMEOUT.set(sshd, config.idleTimeout());
        CoreModuleProperties.SERVER_IDENTIFICATION.set(sshd, "Shoal");
        sshd.start();
        server = sshd;
        LOG.infof("git over SSH listening on %s:%d", config.bindAddress(), sshd.getPort());
    }

    void onStop(@Observes ShutdownEvent event) throws IOException {
        if (server != null) {
            server.stop(true);
        }
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /** The port the server listens on (the configured one, or the one picked when configured 0). */
    public int port() {
        return server == null ? -1 : server.getPort();
    }

    /** The host's public key as an OpenSSH line ({@code ecdsa-sha2-nistp256 AAAA…}), for known_hosts files. */
    public String hostPublicKey() {
        try {
            java.security.KeyPair pair = server.getKeyPairProvider().loadKeys(null).iterator().next();
            return org.apache.sshd.common.config.keys.PublicKeyEntry.toString(pair.getPublic());
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("the SSH host key cannot be read", e);
        }
    }

    /** The ECDSA P-256 host key under {@code dir}, generated on first start; readable by this process's user only. */
    static SimpleGeneratorHostKeyProvider hostKeys(Path dir) {
        try {
            Files.createDirectories(dir);
            setMode(dir, "rwx------");
            Path file = dir.resolve(HOST_KEY_FILE);
            SimpleGeneratorHostKeyProvider provider = new SimpleGeneratorHostKeyProvider(file);
            provider.setAlgorithm(KeyUtils.EC_ALGORITHM);
            provider.setKeySize(256);
            provider.loadKeys(null);
            setMode(file, "rw-------");
            return provider;
        } catch (IOException e) {
            throw new UncheckedIOException("could not create or read the SSH host key under " + dir, e);
        }
    }

    private static void setMode(Path path, String mode) throws IOException {
        if (Files.getFileStore(path).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        }
    }

    /**
     * Ed25519 keys are checked with MINA's own EdDSA provider instance, not one looked up by name in the
     * JVM-wide {@code java.security} registry: a registered provider belongs to the class loader that
     * added it, and a second application in the same JVM (a restarted Quarkus application, as in tests)
     * would get "key spec not recognised" for every Ed25519 key. An operator's own setting wins.
     */
    private static void useOwnEdDsaProvider() {
        if (System.getProperty(EDDSA_BY_NAME) == null) {
            System.setProperty(EDDSA_BY_NAME, "false");
        }
    }
}
