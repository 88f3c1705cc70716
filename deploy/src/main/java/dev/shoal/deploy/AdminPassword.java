package dev.shoal.deploy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
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
        HttpRequest request = HttpRequest.newBuilder(URI.create(gatewayUrl + "/api/v1/admin/users/admin/password"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"password\":\"" + password + "\"}"))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                Launcher.say("warning: setting the admin's web password answered " + response.statusCode());
                return Optional.empty();
            }
            files.writeSecret(files.adminPassword(), password + "\n");
            return Optional.of(password);
        } catch (IOException e) {
            Launcher.say("warning: cannot set the admin's web password: " + e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
