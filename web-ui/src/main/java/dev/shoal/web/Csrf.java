package dev.shoal.web;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * CSRF tokens: an HMAC of the session token (signed in) or of the sign-in form's own random cookie
 * (signed out), so every form that changes something carries a value another site cannot compute.
 * Checked in constant time; SameSite=Lax cookies are the second line, not the only one.
 */
@ApplicationScoped
public class Csrf {

    public static final String FIELD = "_csrf";
    /** The signed-out visitor's random value, bound to the sign-in form. */
    public static final String LOGIN_COOKIE = "shoal_login";

    private final byte[] key;

    public Csrf(@ConfigProperty(name = "shoal.web.csrf-key") Optional<String> configured) {
        if (configured.isPresent() && !configured.get().isBlank()) {
            this.key = configured.get().getBytes(StandardCharsets.UTF_8);
        } else {
            this.key = new byte[32];
            new SecureRandom().nextBytes(this.key);
        }
    }

    public String tokenFor(String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(("csrf:" + secret).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required", e);
        }
    }

    public boolean valid(String secret, String presented) {
        if (secret == null || secret.isEmpty() || presented == null) {
            return false;
        }
        return MessageDigest.isEqual(tokenFor(secret).getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    public static String randomValue() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
