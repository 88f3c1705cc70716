package dev.shoal.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The launcher's HTTP calls to the stack it started (readiness probes, the admin API), all plain
 * HTTP to this machine, through {@link HttpURLConnection}. Not the JDK's {@code java.net.http}
 * client: building one sets up TLS (the default {@code SSLContext} parses the CA certificates) and
 * loads some 1,200 classes, which the launcher would keep for as long as it supervises; in a bare
 * JVM that was 17 MiB more resident than this (55 against 38 MiB).
 */
final class LocalHttp {

    /** An answer: its status and its body as text (the error body for a 4xx or 5xx). */
    record Response(int status, String body) {
    }

    static {
        // no unasked second POST when a kept-alive connection fails awaiting the answer (the agent's registration)
        System.setProperty("sun.net.http.retryPost", "false");
    }

    private LocalHttp() {
    }

    /** {@code GET url}, the body read and dropped (so the connection can be reused). */
    static int get(String url, Duration connectTimeout, Duration timeout) throws IOException {
        return send("GET", url, null, null, connectTimeout, timeout).status();
    }

    /** {@code method url}, with {@code Authorization: Bearer} when {@code bearer} is set and a JSON body when {@code json} is. */
    static Response send(String method, String url, String bearer, String json, Duration connectTimeout, Duration timeout)
            throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        connection.setRequestMethod(method);
        connection.setConnectTimeout((int) connectTimeout.toMillis());
        connection.setReadTimeout((int) timeout.toMillis());
        if (bearer != null) {
            connection.setRequestProperty("Authorization", "Bearer " + bearer);
        }
        if (json != null) {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/json");
            connection.setFixedLengthStreamingMode(bytes.length);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(bytes);
            }
        }
        int status = connection.getResponseCode();
        InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        if (in == null) {
            return new Response(status, "");
        }
        try (in) {
            return new Response(status, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
