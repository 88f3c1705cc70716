package dev.shoal.pipeline.secret.service;

import dev.shoal.pipeline.PipelineSettings;
import dev.shoal.platform.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for secrets at rest. The secret's identity (scope, owner, name) is the associated
 * data, so a ciphertext copied onto another secret's row does not decrypt.
 */
@ApplicationScoped
public class SecretCipher {

    public record Sealed(byte[] nonce, byte[] ciphertext) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;

    public SecretCipher(PipelineSettings settings) {
        this.key = settings.secretKey().map(SecretCipher::parse).orElse(null);
    }

    private static SecretKey parse(String base64) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("shoal.pipeline.secret-key must be base64 of 32 bytes");
        }
        if (raw.length != 32) {
            throw new IllegalStateException("shoal.pipeline.secret-key must be base64 of 32 bytes, got " + raw.length);
        }
        return new SecretKeySpec(raw, "AES");
    }

    public Sealed seal(String identity, String value) {
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, requireKey(), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(identity.getBytes(StandardCharsets.UTF_8));
            return new Sealed(nonce, cipher.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    public String open(String identity, byte[] nonce, byte[] ciphertext) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, requireKey(), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(identity.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(ciphertext), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("secret " + identity + " cannot be decrypted with the configured key", e);
        }
    }

    private SecretKey requireKey() {
        if (key == null) {
            throw new ApiException(503, "secrets_unavailable",
                    "secrets are not configured on this server: set shoal.pipeline.secret-key (SHOAL_PIPELINE_SECRET_KEY)");
        }
        return key;
    }
}
