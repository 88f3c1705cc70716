package dev.shoal.repo.compat.storage;

import static dev.shoal.repo.compat.storage.StorageApiTest.ALL;
import static dev.shoal.repo.compat.storage.StorageApiTest.as;
import static dev.shoal.repo.compat.storage.StorageApiTest.b64;
import static dev.shoal.repo.compat.storage.StorageApiTest.chunk;
import static dev.shoal.repo.compat.storage.StorageApiTest.commitPack;
import static dev.shoal.repo.compat.storage.StorageApiTest.create;
import static dev.shoal.repo.compat.storage.StorageApiTest.head;
import static dev.shoal.repo.compat.storage.StorageApiTest.issuer;
import static dev.shoal.repo.compat.storage.StorageApiTest.meta;
import static dev.shoal.repo.compat.storage.StorageApiTest.ndjson;
import static dev.shoal.repo.compat.storage.StorageApiTest.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.repo.compat.storage.service.CommitPackSpoolCleaner;
import dev.shoal.repo.support.RepoStorageResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Issue #18 item 3: commit-pack and diff-commit bodies are bounded. A file or body over its cap
 * ({@code shoal.repo.storage.commit-pack.*}, {@code …diff-commit.*}; small here) is a 413 in Code
 * Storage's dialect naming the cap, the branch stays, no spooled file is left, and the service goes
 * on serving. The caps are set small so that the test is quick; the bodies are streamed, never built.
 */
@QuarkusTest
@TestProfile(StorageLimitsTest.SmallCaps.class)
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "repo_test"))
@QuarkusTestResource(RepoStorageResource.class)
class StorageLimitsTest {

    static final int MIB = 1024 * 1024;
    static final long FILE_CAP = 8L * MIB;
    static final long BODY_CAP = 48L * MIB;
    static final long PATCH_CAP = MIB;
    private static final String API = "/storage/api/v1/repos";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    CommitPackSpoolCleaner spoolCleaner;

    public static class SmallCaps implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("shoal.repo.storage.commit-pack.max-file-size", String.valueOf(FILE_CAP),
                    "shoal.repo.storage.commit-pack.max-body-size", String.valueOf(BODY_CAP),
                    "shoal.repo.storage.diff-commit.max-patch-size", String.valueOf(PATCH_CAP));
        }
    }

    private static Path spoolDir() {
        return Path.of(ConfigProvider.getConfig().getValue("shoal.repo.storage", String.class)).resolve(".commit-pack");
    }

    private static List<Path> spooled() throws IOException {
        if (!Files.isDirectory(spoolDir())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(spoolDir())) {
            return files.toList();
        }
    }

    private static byte[][] metadataLine(Map<String, Object> meta) throws Exception {
        return line(JSON.writeValueAsString(Map.of("metadata", meta)));
    }

    private static byte[][] line(String json) {
        return new byte[][] {(json + "\n").getBytes(StandardCharsets.UTF_8)};
    }

    /** A blob_chunk line as parts, its base64 never turned into a String (this JVM also runs the service and a broker). */
    private static byte[][] chunkParts(String id, byte[] data, boolean eof) {
        return new byte[][] {("{\"blob_chunk\":{\"content_id\":\"" + id + "\",\"data\":\"").getBytes(StandardCharsets.US_ASCII),
                Base64.getEncoder().encode(data), ("\",\"eof\":" + eof + "}}\n").getBytes(StandardCharsets.US_ASCII)};
    }

    /** A body made of byte-array parts, streamed as they are. */
    static final class Parts extends InputStream {
        private final List<byte[]> parts = new ArrayList<>();
        private final long length;
        private int part;
        private int offset;

        Parts(byte[][]... lines) {
            long total = 0;
            for (byte[][] line : lines) {
                for (byte[] p : line) {
                    parts.add(p);
                    total += p.length;
                }
            }
            this.length = total;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            while (part < parts.size() && offset == parts.get(part).length) {
                part++;
                offset = 0;
            }
            if (part == parts.size()) {
                return -1;
            }
            int n = Math.min(len, parts.get(part).length - offset);
            System.arraycopy(parts.get(part), offset, b, off, n);
            offset += n;
            return n;
        }
    }

    private static byte[] filled(int size, int seed) {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (i * 31 + seed);
        }
        return data;
    }

    @Test
    void spoolFilesLeftByAKilledProcessAreRemovedAtStart() throws Exception {
        // What a repo-service killed in the middle of a commit-pack leaves: a half-written spool.
        Files.createDirectories(spoolDir());
        Path stale = Files.createTempFile(spoolDir(), "commit-pack-", ".blob");
        Files.write(stale, filled(64 * 1024, 7));
        assertThat(spooled()).contains(stale);

        // The StartupEvent observer runs this before any request is served.
        assertThat(spoolCleaner.clean()).isEqualTo(1);
        assertThat(stale).doesNotExist();
        assertThat(spooled()).isEmpty();
        assertThat(spoolDir()).as("the directory itself stays, commit-pack recreates it anyway").isDirectory();
        assertThat(spoolCleaner.clean()).as("nothing left on a second pass").isZero();
    }

    @Test
    void aGibibyteWithoutEofIsRefusedAtTheCapAndTheServiceGoesOn() throws Exception {
        String issuer = issuer();
        String repo = create(issuer, "limits/gib");
        String before = commitPack(issuer, repo, ndjson(meta("main", null, List.of(upsert("a.txt", "a"))), chunk("a", b64("a\n"), true)))
                .then().statusCode(201).extract().path("result.new_sha");

        // 256 files, each sent 1 MiB at a time in turn and none ever finished: no file reaches its
        // cap before the body passes its own, and an unbounded server would hold it all
        int files = 256;
        List<Map<String, Object>> ops = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            ops.add(upsert("big/f" + i + ".bin", "f" + i));
        }
        byte[] head = (JSON.writeValueAsString(Map.of("metadata", meta("main", before, ops))) + "\n").getBytes(StandardCharsets.UTF_8);
        long gib = 1024L * MIB;
        GeneratedBody body = new GeneratedBody(head, files, gib);

        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        HeapSampler sampler = new HeapSampler(memory);
        sampler.start();
        long started = System.nanoTime();
        RawResponse answer = post(issuer, repo, "/commit-pack", body, body.length());
        long millis = (System.nanoTime() - started) / 1_000_000;
        sampler.interrupt();
        sampler.join();
        System.gc();
        long heapAfter = memory.getHeapMemoryUsage().getUsed();
        System.out.printf("1 GiB commit-pack: %d in %d ms, %d MiB of the body sent; heap peak %d MiB, after GC %d MiB, max %d MiB%n",
                answer.status(), millis, body.sent() / MIB, sampler.peak.get() / MIB, heapAfter / MIB,
                memory.getHeapMemoryUsage().getMax() / MIB);

        assertThat(answer.status()).as(answer.body()).isEqualTo(413);
        Map<?, ?> error = JSON.readValue(answer.body(), Map.class);
        assertThat(error.get("code")).isEqualTo("payload_too_large");
        assertThat((String) error.get("error")).contains(String.valueOf(BODY_CAP)).contains("shoal.repo.storage.commit-pack.max-body-size");
        assertThat(body.sent()).as("the service stops reading soon after the cap").isLessThan(gib);
        assertThat(head(issuer, repo, "main")).isEqualTo(before);
        assertThat(spooled()).as("spooled files are removed").isEmpty();

        // the service keeps serving: an ordinary commit-pack lands
        String after = commitPack(issuer, repo, ndjson(meta("main", before, List.of(upsert("b.txt", "b"))), chunk("b", b64("b\n"), true)))
                .then().statusCode(201).extract().path("result.new_sha");
        assertThat(head(issuer, repo, "main")).isEqualTo(after);
        as(issuer, repo, ALL).get(API + "/files").then().body("paths", equalTo(List.of("a.txt", "b.txt")));
    }

    @Test
    void aFileOverItsCapIsRefusedAndOneAtTheCapLands() throws Exception {
        String issuer = issuer();
        String repo = create(issuer, "limits/file");
        String before = commitPack(issuer, repo, ndjson(meta("main", null, List.of(upsert("a.txt", "a"))), chunk("a", b64("a\n"), true)))
                .then().statusCode(201).extract().path("result.new_sha");

        // 3 × 3 MiB: the third chunk passes the 8 MiB cap, before any eof
        byte[] three = filled(3 * MIB, 1);
        RawResponse over = post(issuer, repo, "/commit-pack", new Parts(
                metadataLine(meta("main", before, List.of(upsert("huge.bin", "h"), upsert("c.txt", "c")))),
                line(chunk("c", b64("c\n"), true)), chunkParts("h", three, false), chunkParts("h", three, false), chunkParts("h", three, true)));
        assertThat(over.status()).as(over.body()).isEqualTo(413);
        Map<?, ?> error = JSON.readValue(over.body(), Map.class);
        assertThat(error.get("code")).isEqualTo("payload_too_large");
        assertThat((String) error.get("error")).contains("huge.bin").contains(String.valueOf(FILE_CAP))
                .contains("shoal.repo.storage.commit-pack.max-file-size");
        assertThat(head(issuer, repo, "main")).isEqualTo(before);
        as(issuer, repo, ALL).get(API + "/files").then().body("paths", equalTo(List.of("a.txt")));
        assertThat(spooled()).isEmpty();

        // exactly at the cap, sent as two files whose chunks interleave: both land byte for byte
        byte[] first = filled(4 * MIB, 2);
        byte[] second = filled(4 * MIB, 3);
        byte[] other = filled(MIB + 5, 4);
        RawResponse landed = post(issuer, repo, "/commit-pack", new Parts(
                metadataLine(meta("main", before, List.of(upsert("cap.bin", "p"), upsert("other.bin", "o")))),
                chunkParts("p", first, false), chunkParts("o", Arrays.copyOf(other, MIB), false), chunkParts("p", second, true),
                chunkParts("o", Arrays.copyOfRange(other, MIB, MIB + 5), true)));
        assertThat(landed.status()).as(landed.body()).isEqualTo(201);
        String after = (String) ((Map<?, ?>) JSON.readValue(landed.body(), Map.class).get("result")).get("new_sha");
        assertThat(head(issuer, repo, "main")).isEqualTo(after);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(first);
        expected.write(second);
        assertThat(file(issuer, repo, "cap.bin")).isEqualTo(expected.toByteArray());
        assertThat(file(issuer, repo, "other.bin")).isEqualTo(other);
        assertThat(spooled()).isEmpty();
    }

    @Test
    void aPatchOverItsCapIsRefused() throws Exception {
        String issuer = issuer();
        String repo = create(issuer, "limits/diff");
        String before = commitPack(issuer, repo, ndjson(meta("main", null, List.of(upsert("a.txt", "a"))), chunk("a", b64("a\n"), true)))
                .then().statusCode(201).extract().path("result.new_sha");
        Map<String, Object> m = meta("main", before, null);
        m.remove("files");

        // a patch that adds a 1.5 MiB file: over the 1 MiB cap in its second chunk
        StringBuilder patch = new StringBuilder("diff --git a/big.txt b/big.txt\nnew file mode 100644\n--- /dev/null\n+++ b/big.txt\n");
        int lines = 3 * MIB / 2 / 64;
        patch.append("@@ -0,0 +1,").append(lines).append(" @@\n");
        for (int i = 0; i < lines; i++) {
            patch.append('+').append(String.format("%062d", i)).append('\n');
        }
        byte[] bytes = patch.toString().getBytes(StandardCharsets.UTF_8);
        int half = bytes.length / 2;
        String body = ndjson(m, diffChunk(Arrays.copyOf(bytes, half), false), diffChunk(Arrays.copyOfRange(bytes, half, bytes.length), true));
        Response over = as(issuer, repo, ALL).contentType("application/x-ndjson").body(body).post(API + "/diff-commit");
        assertThat(over.statusCode()).as(over.asString()).isEqualTo(413);
        over.then().body("code", equalTo("payload_too_large"));
        assertThat((String) over.path("error")).contains(String.valueOf(PATCH_CAP)).contains("shoal.repo.storage.diff-commit.max-patch-size");
        assertThat(head(issuer, repo, "main")).isEqualTo(before);
        assertThat(spooled()).isEmpty();

        // a patch under the cap still applies
        String small = "diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-a\n+A\n";
        as(issuer, repo, ALL).contentType("application/x-ndjson")
                .body(ndjson(m, diffChunk(small.getBytes(StandardCharsets.UTF_8), true))).post(API + "/diff-commit")
                .then().statusCode(201);
        assertThat(file(issuer, repo, "a.txt")).isEqualTo("A\n".getBytes(StandardCharsets.UTF_8));
    }

    private static String diffChunk(byte[] data, boolean eof) throws Exception {
        return JSON.writeValueAsString(Map.of("diff_chunk", Map.of("data", Base64.getEncoder().encodeToString(data), "eof", eof)));
    }

    /** Read with the JDK's client: RestAssured's response logging would copy a binary body into a String. */
    private static byte[] file(String issuer, String repo, String path) throws Exception {
        java.net.http.HttpResponse<byte[]> answer = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create("http://localhost:" + RestAssured.port + API + "/file?path="
                        + java.net.URLEncoder.encode(path, StandardCharsets.UTF_8)))
                .header("Authorization", "Bearer " + StorageApiTest.internalToken(issuer))
                .header("X-Shoal-Storage-Issuer", issuer).header("X-Shoal-Storage-Repo", repo).header("X-Shoal-Storage-Scopes", ALL)
                .GET().build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(answer.statusCode()).isEqualTo(200);
        return answer.body();
    }

    record RawResponse(int status, String body) {
    }

    /**
     * POSTs over a plain socket: the body is written on its own thread while this one waits for the
     * answer, so a server that answers 413 early and stops reading is seen as such (an HTTP client
     * that sends the whole body first would fail with a broken pipe instead).
     */
    private static RawResponse post(String issuer, String repo, String path, Parts body) throws Exception {
        return post(issuer, repo, path, body, body.length);
    }

    private static RawResponse post(String issuer, String repo, String path, InputStream body, long length) throws Exception {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(120_000);
            String request = "POST " + API + path + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + StorageApiTest.internalToken(issuer) + "\r\n"
                    + "X-Shoal-Storage-Issuer: " + issuer + "\r\nX-Shoal-Storage-Repo: " + repo + "\r\n"
                    + "X-Shoal-Storage-Scopes: " + ALL + "\r\nContent-Type: application/x-ndjson\r\n"
                    + "Content-Length: " + length + "\r\nConnection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            Thread writer = new Thread(() -> {
                try {
                    out.write(request.getBytes(StandardCharsets.US_ASCII));
                    body.transferTo(out);
                    out.flush();
                } catch (IOException expected) {
                    // the server answered and closed: the rest of the body is not wanted
                }
            }, "raw-body-writer");
            writer.start();
            InputStream in = socket.getInputStream();
            String status = readLine(in);
            long contentLength = -1;
            String header;
            while (!(header = readLine(in)).isEmpty()) {
                if (header.toLowerCase().startsWith("content-length:")) {
                    contentLength = Long.parseLong(header.substring(15).trim());
                }
            }
            byte[] answer = contentLength >= 0 ? in.readNBytes((int) contentLength) : new byte[0];
            socket.close();
            writer.join(60_000);
            return new RawResponse(Integer.parseInt(status.split(" ")[1]), new String(answer, StandardCharsets.UTF_8));
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    /**
     * The metadata line, then 1 MiB chunks for {@code files} content ids in turn (never eof), up to
     * {@code length} bytes: generated as read, one shared base64 run, never the whole body in memory.
     */
    static final class GeneratedBody extends InputStream {
        private final byte[] head;
        private final int files;
        private final long length;
        private final byte[] data = Base64.getEncoder().encode(filled(MIB, 9));
        private final AtomicLong sent = new AtomicLong();
        private byte[][] parts;
        private int part;
        private int offset;
        private int line;

        GeneratedBody(byte[] head, int files, long length) {
            this.head = head;
            this.files = files;
            this.length = length;
            this.parts = new byte[][] {head};
        }

        long length() {
            return length;
        }

        long sent() {
            return sent.get();
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            long left = length - sent.get();
            if (left <= 0) {
                return -1;
            }
            while (part == parts.length) {
                String id = "f" + (line++ % files);
                parts = new byte[][] {("{\"blob_chunk\":{\"content_id\":\"" + id + "\",\"data\":\"").getBytes(StandardCharsets.US_ASCII),
                        data, "\",\"eof\":false}}\n".getBytes(StandardCharsets.US_ASCII)};
                part = 0;
                offset = 0;
            }
            byte[] current = parts[part];
            int n = (int) Math.min(Math.min(len, current.length - offset), left);
            System.arraycopy(current, offset, b, off, n);
            offset += n;
            if (offset == current.length) {
                part++;
                offset = 0;
            }
            sent.addAndGet(n);
            return n;
        }
    }

    /** The highest heap use seen while the body streams (this JVM runs the service). */
    static final class HeapSampler extends Thread {
        private final MemoryMXBean memory;
        final AtomicLong peak = new AtomicLong();

        HeapSampler(MemoryMXBean memory) {
            super("heap-sampler");
            this.memory = memory;
            setDaemon(true);
        }

        @Override
        public void run() {
            while (!isInterrupted()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
