package dev.shoal.platform.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for secrets stored at rest that must be read back (CI secrets, upstream git
 * credentials). The secret's identity (e.g. scope/owner/name, or the credential's id) is the
 * associated data, so a ciphertext copied onto another row does not decrypt. The key is 32 bytes,
 * configured as base64; the setting's name goes into the error a bad key produces.
 */
public final class SecretSeal {

    /** A 12-byte random nonce and the ciphertext with its 16-byte tag. */
    public record Sealed(byte[] nonce, byte[] ciphertext) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;

    private SecretSeal(SecretKey key) {
        this.key = key;
    }

    /** Parses the base64 key; a wrong length or bad base64 fails naming {@code setting}. */
    public static SecretSeal fromBase64(String base64, String setting) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(setting + " must be base64 of 32 bytes");
        }
        if (raw.length != 32) {
            throw new IllegalStateException(setting + " must be base64 of 32 bytes, got " + raw.length);
        }
        return new SecretSeal(new SecretKeySpec(raw, "AES"));
    }

    public Sealed seal(String identity, String value) {
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(identity.getBytes(StandardCharsets.UTF_8));
            return new Sealed(nonce, cipher.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** The value; fails (without the value or key in the message) for a wrong key, identity or tampered data. */
    public String open(String identity, byte[] nonce, byte[] ciphertext) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(identity.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(ciphertext), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("secret " + identity + " cannot be decrypted with the configured key", e);
        }
    }
}
