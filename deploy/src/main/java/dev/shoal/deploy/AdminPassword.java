package dev.shoal.deploy;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;

/**
 * Gives the bootstrap admin a password for the web interface once, through the public admin API,
 * and keeps it in SHOAL_HOME/admin-password (mode 600): the admin token alone cannot sign in to a
 * browser. Later starts reuse the file; a password changed in the settings page is not overwritten.
 */
final class AdminPassword {

    private static final char[] ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();

    private final RunFiles files;

    AdminPassword(RunFiles files) {
        this.files = files;
    }

    /** The password, setting one first when this SHOAL_HOME has none; empty when that fails. */
    Optional<String> ensure(String gatewayUrl, String adminToken) {
        Optional<String> kept = files.readSecret(files.adminPassword());
        if (kept.isPresent()) {
            return kept;
        }
        String password = generate();
        try {
            LocalHttp.Response response = LocalHttp.send("PUT", gatewayUrl + "/api/v1/admin/users/admin/password", adminToken,
                    "{\"password\":\"" + password + "\"}", Duration.ofSeconds(2), Duration.ofSeconds(60));
            if (response.status() / 100 != 2) {
                Launcher.say("warning: setting the admin's web password answered " + response.status());
                return Optional.empty();
            }
            files.writeSecret(files.adminPassword(), password + "\n");
            return Optional.of(password);
        } catch (IOException e) {
            Launcher.say("warning: cannot set the admin's web password: " + e.getMessage());
            return Optional.empty();
        }
    }

    private static String generate() {
        SecureRandom random = new SecureRandom();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            out.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return out.toString();
    }
}
