package dev.shoal.deploy;

import dev.shoal.platform.testing.InternalKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Secrets made once per SHOAL_HOME and kept: the ES256 key pair of the internal JWT and the key
 * pipeline-service encrypts CI secrets with. Regenerating either would make existing data unusable
 * (tokens, encrypted secrets), so they are created only when missing.
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
        if (files.readSecret(files.secretKey()).isEmpty()) {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            files.writeSecret(files.secretKey(), Base64.getEncoder().encodeToString(key) + "\n");
            Launcher.say("generated the pipeline secret key in " + files.secretKey());
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
}
