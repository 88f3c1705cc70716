package dev.shoal.gateway.admin;

import dev.shoal.gateway.config.GatewayConfig;
import dev.shoal.gateway.token.TokenCodec;
import dev.shoal.gateway.token.service.TokenService;
import dev.shoal.gateway.user.repository.UserRepository;
import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.EventTypes;
import dev.shoal.platform.outbox.Outbox;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Creates the site administrator {@code admin} on first start. Its token comes from
 * {@code shoal.gateway.admin-token} when set, else it is generated and written once to
 * {@code shoal.gateway.admin-token-file} with mode 600; only its hash is stored, and it is never
 * logged. With neither setting, {@code admin} starts without a token.
 */
@ApplicationScoped
public class AdminBootstrap {

    private static final Logger LOG = Logger.getLogger(AdminBootstrap.class);
    static final String ADMIN = "admin";

    private final Pool pool;
    private final UserRepository users;
    private final TokenService tokens;
    private final Outbox outbox;
    private final GatewayConfig config;

    public AdminBootstrap(Pool pool, UserRepository users, TokenService tokens, Outbox outbox, GatewayConfig config) {
        this.pool = pool;
        this.users = users;
        this.tokens = tokens;
        this.outbox = outbox;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        config.adminToken().filter(token -> !TokenCodec.looksValid(token)).ifPresent(token -> {
            throw new IllegalStateException("shoal.gateway.admin-token (SHOAL_ADMIN_TOKEN) must be '"
                    + TokenCodec.PREFIX + "' followed by 40 letters and digits");
        });
        bootstrap().await().atMost(Duration.ofSeconds(30));
    }

    Uni<Void> bootstrap() {
        return pool.withTransaction(tx -> tx.query("SELECT pg_advisory_xact_lock(7420001)").execute()
                .chain(() -> users.byUsername(tx, ADMIN))
                .chain(existing -> {
                    if (existing.isPresent()) {
                        return config.adminToken().map(token -> tokens.ensure(tx, existing.get().id(), "bootstrap", token))
                                .orElse(Uni.createFrom().voidItem());
                    }
                    // A generated token is only ever written to the operator's file: a log is read by too many.
                    Optional<String> token = config.adminToken().or(() -> config.adminTokenFile().map(file -> TokenCodec.generate()));
                    return users.insert(tx, ADMIN, "", "Administrator", true)
                            .map(u -> u.orElseThrow())
                            .call(admin -> outbox.append(tx, EventTypes.USER_CREATED, new EventEnvelope.Actor(null, "shoal"),
                                    null, admin.toEvent(), admin.id()))
                            .call(admin -> token.map(t -> tokens.ensure(tx, admin.id(), "bootstrap", t)).orElse(Uni.createFrom().voidItem()))
                            .invoke(admin -> announce(token))
                            .replaceWithVoid();
                }));
    }

    private void announce(Optional<String> token) {
        if (config.adminToken().isPresent()) {
            LOG.info("created the site administrator 'admin' with the configured token");
        } else if (token.isPresent() && config.adminTokenFile().isPresent()) {
            write(Path.of(config.adminTokenFile().get()), token.get());
        } else {
            LOG.warn("created the site administrator 'admin' without a token: set shoal.gateway.admin-token or "
                    + "shoal.gateway.admin-token-file and restart to give it one");
        }
    }

    private static void write(Path file, String token) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, token + "\n");
            LOG.infof("created the site administrator 'admin'; its token is in %s", file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the admin token to " + file, e);
        }
    }
}
