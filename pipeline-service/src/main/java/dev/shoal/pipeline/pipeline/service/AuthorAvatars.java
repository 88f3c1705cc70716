package dev.shoal.pipeline.pipeline.service;

import dev.shoal.pipeline.PipelineSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A commit author's avatar as the CI views show it: a Gravatar-style URL, {@code base} followed by
 * the SHA-256 of the trimmed, lower-cased email (what Gravatar and Libravatar look up), or empty
 * when avatars are off ({@code shoal.pipeline.author-avatars=false}) or the email is unknown.
 */
@ApplicationScoped
public class AuthorAvatars {

    private final boolean enabled;
    private final String base;

    @Inject
    public AuthorAvatars(PipelineSettings settings) {
        this(settings.authorAvatars(), settings.authorAvatarUrl());
    }

    public AuthorAvatars(boolean enabled, String base) {
        this.enabled = enabled;
        this.base = base.endsWith("/") ? base : base + "/";
    }

    /** The avatar URL of {@code email}, or "" when avatars are off or there is no email. */
    public String url(String email) {
        if (!enabled || email == null || email.isBlank()) {
            return "";
        }
        return base + hash(email) + "?d=identicon";
    }

    static String hash(String email) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(email.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
