package dev.shoal.pipeline.secret.service;

import dev.shoal.pipeline.PipelineSettings;
import dev.shoal.platform.crypto.SecretSeal;
import dev.shoal.platform.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * AES-256-GCM for secrets at rest (platform {@link SecretSeal}). The secret's identity (scope,
 * owner, name) is the associated data, so a ciphertext copied onto another secret's row does not
 * decrypt. Without {@code shoal.pipeline.secret-key} every use answers 503.
 */
@ApplicationScoped
public class SecretCipher {

    private final SecretSeal seal;

    public SecretCipher(PipelineSettings settings) {
        this.seal = settings.secretKey().map(k -> SecretSeal.fromBase64(k, "shoal.pipeline.secret-key")).orElse(null);
    }

    public SecretSeal.Sealed seal(String identity, String value) {
        return requireKey().seal(identity, value);
    }

    public String open(String identity, byte[] nonce, byte[] ciphertext) {
        return requireKey().open(identity, nonce, ciphertext);
    }

    private SecretSeal requireKey() {
        if (seal == null) {
            throw new ApiException(503, "secrets_unavailable",
                    "secrets are not configured on this server: set shoal.pipeline.secret-key (SHOAL_PIPELINE_SECRET_KEY)");
        }
        return seal;
    }
}
