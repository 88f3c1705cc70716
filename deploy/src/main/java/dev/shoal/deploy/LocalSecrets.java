package dev.shoal.deploy;

import dev.shoal.platform.testing.InternalKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * Secrets made once per SHOAL_HOME and kept: one ES256 key pair per service for the internal JWT
 * (ADR 0006: {@code keys/private/<service>.pem}, {@code keys/public/<service>.pem}), the key
 * pipeline-service encrypts CI secrets with and the key webhook-service encrypts webhook secrets
 * with (without it they would sit in plain text in PostgreSQL's files). Regenerating any of them
 * would make existing data unusable (tokens, encrypted secrets), so they are created only when missing.
 */
final class LocalSecrets {

    private final RunFiles files;

    LocalSecrets(RunFiles files) {
        this.files = files;
    }

    void ensure() {
        try {
            // A home from before per-service keys keeps its old single pair (unused now); the
            // services' own pairs are made next to it, only those missing.
            List<String> made = InternalKeys.ensureIn(files.keys(), InternalKeys.SERVICES);
            if (!made.isEmpty()) {
                Launcher.say("generated internal JWT key pairs in " + files.keys() + " for " + String.join(", ", made));
            }
        } catch (IOException e) {
            throw new LaunchFailure("cannot write the internal JWT keys in " + files.keys() + ": " + e.getMessage(), e);
        }
        ensureKey(files.secretKey(), "pipeline");
        ensureKey(files.webhookSecretKey(), "webhook");
        ensureKey(files.credentialKey(), "repository git credential");
    }

    /** 32 random bytes, base64: an AES-256 key. */
    private void ensureKey(Path file, String what) {
        if (files.readSecret(file).isEmpty()) {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            files.writeSecret(file, Base64.getEncoder().encodeToString(key) + "\n");
            Launcher.say("generated the " + what + " secret key in " + file);
        }
    }

    /** The directory of every service's public key, {@code <service>.pem}. */
    Path publicKeys() {
        return files.keys().resolve("public");
    }

    /** {@code service}'s own private key: only that process is told where it is. */
    Path privateKey(String service) {
        return InternalKeys.privatePem(files.keys(), service);
    }

    String pipelineSecretKey() {
        return files.readSecret(files.secretKey()).orElseThrow();
    }

    String credentialKey() {
        return files.readSecret(files.credentialKey()).orElseThrow();
    }

    String webhookSecretKey() {
        return files.readSecret(files.webhookSecretKey()).orElseThrow();
    }
}
