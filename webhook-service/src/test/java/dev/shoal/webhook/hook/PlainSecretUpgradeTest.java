package dev.shoal.webhook.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.webhook.hook.service.PlainSecretUpgrade;
import dev.shoal.webhook.hook.service.SecretCipher;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** With a key set, a secret stored unencrypted is encrypted at start and never accepted as it is. */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "webhook_test"))
class PlainSecretUpgradeTest {

    @Inject
    Pool pool;

    @Inject
    SecretCipher cipher;

    @Inject
    PlainSecretUpgrade upgrade;

    @Test
    void plainSecretsAreEncryptedAndAPlainValueIsRefusedOnceAKeyIsSet() {
        long id = pool.preparedQuery("INSERT INTO hook (repo_id, url, secret, events) VALUES (987654, 'http://x.example.invalid/h', "
                        + "'plain:before-the-key', ARRAY['push']) RETURNING id")
                .execute().await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0);
        assertThatThrownBy(() -> cipher.open("plain:before-the-key"))
                .hasMessageContaining("stored unencrypted although shoal.webhook.secret-key is set");

        assertThat(upgrade.encryptPlainSecrets()).isGreaterThanOrEqualTo(1);

        String stored = pool.preparedQuery("SELECT secret FROM hook WHERE id = $1").execute(Tuple.of(id))
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getString(0);
        assertThat(stored).startsWith("v1:").doesNotContain("before-the-key");
        assertThat(cipher.open(stored)).isEqualTo("before-the-key");
        pool.preparedQuery("DELETE FROM hook WHERE id = $1").execute(Tuple.of(id)).await().atMost(Duration.ofSeconds(5));
    }
}
