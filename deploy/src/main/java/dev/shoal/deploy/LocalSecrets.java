package dev.shoal.deploy;

import dev.shoal.platform.testing.InternalKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Secrets made once per SHOAL_HOME and kept: the ES256 key pair of the internal JWT, the key
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
            if (InternalKeys.ensureIn(files.keys())) {
                Launcher.say("generated the internal JWT key pair in " + files.keys());
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

    Path publicKey() {
        return files.keys().resolve("internal-jwt-public.pem");
    }

    Path privateKey() {
        return files.keys().resolve("internal-jwt-private.pem");
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
