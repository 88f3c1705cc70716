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
import org.jboss.logging.Logger;

/**
 * Creates the site administrator {@code admin} on first start. Its token comes from
 * {@code shoal.gateway.admin-token} when set, else it is generated and written once to
 * {@code shoal.gateway.admin-token-file} with mode 600; only its hash is stored.
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
                    String token = config.adminToken().orElseGet(TokenCodec::generate);
                    return users.insert(tx, ADMIN, "", "Administrator", true)
                            .map(u -> u.orElseThrow())
                            .call(admin -> outbox.append(tx, EventTypes.USER_CREATED, new EventEnvelope.Actor(null, "shoal"),
                                    null, admin.toEvent(), admin.id()))
                            .call(admin -> tokens.ensure(tx, admin.id(), "bootstrap", token))
                            .invoke(admin -> announce(token))
                            .replaceWithVoid();
                }));
    }

    private void announce(String token) {
        if (config.adminToken().isPresent()) {
            LOG.info("created the site administrator 'admin' with the configured token");
            return;
        }
        config.adminTokenFile().ifPresentOrElse(file -> write(Path.of(file), token),
                () -> LOG.infof("created the site administrator 'admin'; its token (shown once): %s", token));
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
