package dev.shoal.webhook.hook.service;

import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Hooks created before an operator set {@code shoal.webhook.secret-key} hold their secret as
 * {@code plain:}. At start, with a key, each is encrypted in place, so that afterwards an
 * unencrypted secret is never accepted ({@link SecretCipher#open}).
 */
@ApplicationScoped
public class PlainSecretUpgrade {

    private static final Logger LOG = Logger.getLogger(PlainSecretUpgrade.class);

    private final Pool pool;
    private final SecretCipher cipher;

    public PlainSecretUpgrade(Pool pool, SecretCipher cipher) {
        this.pool = pool;
        this.cipher = cipher;
    }

    void onStart(@Observes @Priority(1000) StartupEvent event) {
        if (!cipher.encrypts()) {
            return;
        }
        int upgraded = encryptPlainSecrets();
        if (upgraded > 0) {
            LOG.infof("encrypted the secrets of %d webhook(s) stored before shoal.webhook.secret-key was set", upgraded);
        }
    }

    /** Encrypts every stored {@code plain:} secret; answers how many. Runs once at start, before deliveries begin. */
    public int encryptPlainSecrets() {
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT id, secret FROM hook WHERE secret LIKE 'plain:%' FOR UPDATE")
                .execute()
                .chain(rows -> {
                    List<Tuple> updates = new ArrayList<>();
                    for (Row row : rows) {
                        updates.add(Tuple.of(row.getLong("id"), cipher.seal(SecretCipher.plainValue(row.getString("secret")))));
                    }
                    return updates.isEmpty() ? io.smallrye.mutiny.Uni.createFrom().item(0)
                            : tx.preparedQuery("UPDATE hook SET secret = $2 WHERE id = $1").executeBatch(updates).map(done -> updates.size());
                }))
                .await().atMost(Duration.ofMinutes(1));
    }
}
