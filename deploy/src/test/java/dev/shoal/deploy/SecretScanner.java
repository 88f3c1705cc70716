package dev.shoal.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Looks for secret values (tokens, webhook secrets, CI secret values) in every file under
 * SHOAL_HOME and in any text, byte for byte. A few paths are meant to hold secrets and are left
 * out, each for a stated reason.
 */
final class SecretScanner {

    /**
     * Paths under SHOAL_HOME that hold secrets on purpose (owner-only files), and the test's own git
     * working copies, which are the client's files rather than the stack's.
     */
    static final Map<String, String> EXCLUDED = exclusions();

    private final Map<String, String> secrets;
    private long files;
    private long bytes;

    /** {@code secrets}: a label for the report → the secret value. */
    SecretScanner(Map<String, String> secrets) {
        this.secrets = Map.copyOf(secrets);
        secrets.forEach((label, value) -> {
            if (value == null || value.length() < 8) {
                throw new IllegalArgumentException("secret " + label + " is too short to search for reliably: " + value);
            }
        });
    }

    private static Map<String, String> exclusions() {
        Map<String, String> excluded = new LinkedHashMap<>();
        excluded.put("run.env", "what deploy/up --detach reports to its caller: holds the admin token (mode 600)");
        excluded.put("ready", "the summary deploy/up prints once: holds the admin token on a first start (mode 600)");
        excluded.put("admin-token", "the admin token itself (mode 600)");
        excluded.put("agent-token", "the local agent's token itself (mode 600)");
        excluded.put("keys", "the internal JWT key pair and the pipeline and webhook secret keys (mode 600)");
        excluded.put("client", "the test's own git working copies and marker files, not files of the stack");
        return excluded;
    }

    /** Every place under {@code home} (outside {@link #EXCLUDED}) where a secret appears: "file: label". */
    List<String> scanFiles(Path home) throws IOException {
        List<String> found = new ArrayList<>();
        Set<String> excluded = EXCLUDED.keySet();
        try (Stream<Path> walk = Files.walk(home)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                Path relative = home.relativize(file);
                if (excluded.contains(relative.getName(0).toString())) {
                    continue;
                }
                byte[] content;
                try {
                    content = Files.readAllBytes(file);
                } catch (java.nio.file.NoSuchFileException e) {
                    continue; // a temporary file that went away while we walked
                }
                files++;
                bytes += content.length;
                // ISO-8859-1 maps each byte to one char, so a UTF-8 secret is found wherever its bytes are.
                String text = new String(content, StandardCharsets.ISO_8859_1);
                for (Map.Entry<String, String> secret : secrets.entrySet()) {
                    if (text.contains(new String(secret.getValue().getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1))) {
                        found.add(relative + ": " + secret.getKey());
                    }
                }
            }
        }
        return found;
    }

    /** The labels of the secrets that appear in {@code text}. */
    List<String> scan(String text) {
        List<String> found = new ArrayList<>();
        secrets.forEach((label, value) -> {
            if (text.contains(value)) {
                found.add(label);
            }
        });
        return found;
    }

    long filesScanned() {
        return files;
    }

    long bytesScanned() {
        return bytes;
    }
}
