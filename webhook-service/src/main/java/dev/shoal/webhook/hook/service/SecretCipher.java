package dev.shoal.webhook.hook.service;

import dev.shoal.webhook.config.WebhookConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * Hook secrets at rest. The secret has to be recoverable (it keys the HMAC of every delivery), so
 * it is encrypted rather than hashed: AES-GCM with the operator's key, a fresh nonce per value.
 */
@ApplicationScoped
public class SecretCipher {

    private static final Logger LOG = Logger.getLogger(SecretCipher.class);
    private static final String ENCRYPTED = "v1:";
    private static final String PLAIN = "plain:";
    private static final int NONCE = 12;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    public SecretCipher(WebhookConfig config) {
        this.key = config.secretKey().filter(k -> !k.isBlank()).map(SecretCipher::key).orElse(null);
    }

    void warnWithoutKey(@Observes StartupEvent event) {
        if (key == null) {
            LOG.warn("shoal.webhook.secret-key is not set: webhook secrets are stored unencrypted in the database");
        }
    }

    /** True when a key is set, so that secrets are stored encrypted. */
    public boolean encrypts() {
        return key != null;
    }

    /** True for a value stored without encryption. */
    public static boolean isPlain(String stored) {
        return stored.startsWith(PLAIN);
    }

    /** The secret of an unencrypted stored value, for re-sealing it with the key. */
    static String plainValue(String stored) {
        return stored.substring(PLAIN.length());
    }

    public String seal(String secret) {
        if (key == null) {
            return PLAIN + secret;
        }
        try {
            byte[] nonce = new byte[NONCE];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return ENCRYPTED + Base64.getEncoder().encodeToString(ByteBuffer.allocate(NONCE + sealed.length)
                    .put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * The secret a stored value holds. Once a key is set, an unencrypted value is refused: the service
     * encrypts the ones written before the key at start ({@link PlainSecretUpgrade}), so a plain value
     * found later was put there by something other than this service.
     */
    public String open(String stored) {
        if (stored.startsWith(PLAIN)) {
            if (key != null) {
                throw new IllegalStateException("the hook's secret is stored unencrypted although shoal.webhook.secret-key "
                        + "is set; set the hook's secret again");
            }
            return stored.substring(PLAIN.length());
        }
        if (!stored.startsWith(ENCRYPTED) || key == null) {
            throw new IllegalStateException("a hook secret is encrypted but shoal.webhook.secret-key is not set");
        }
        try {
            byte[] all = Base64.getDecoder().decode(stored.substring(ENCRYPTED.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, NONCE));
            return new String(cipher.doFinal(all, NONCE, all.length - NONCE), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a hook secret cannot be decrypted with shoal.webhook.secret-key", e);
        }
    }

    private static SecretKeySpec key(String base64) {
        byte[] bytes = Base64.getDecoder().decode(base64.trim());
        if (bytes.length != 16 && bytes.length != 24 && bytes.length != 32) {
            throw new IllegalArgumentException("shoal.webhook.secret-key must be base64 of 16, 24 or 32 bytes");
        }
        return new SecretKeySpec(bytes, "AES");
    }
}
