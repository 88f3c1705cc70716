package dev.shoal.repo.compat.storage.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;

/**
 * The files of one commit-pack that arrive in more than one chunk, each written to its own
 * temporary file until its eof chunk, then streamed into the pack: the heap holds one chunk at a
 * time however large the files or however many are in flight. Closing removes whatever is left,
 * so a refused or broken request leaves no file behind.
 */
final class SpooledBlobs implements AutoCloseable {

    private final Path dir;
    private final Map<String, Spool> spools = new HashMap<>();

    private static final class Spool {
        private final Path file;
        private final OutputStream out;
        private long size;

        private Spool(Path file, OutputStream out) {
            this.file = file;
            this.out = out;
        }
    }

    /** {@code dir}: where the temporary files go, on the same disk as the repositories. */
    SpooledBlobs(Path dir) {
        this.dir = dir;
    }

    boolean has(String contentId) {
        return spools.containsKey(contentId);
    }

    /** Bytes spooled so far for {@code contentId} (0 when none). */
    long size(String contentId) {
        Spool spool = spools.get(contentId);
        return spool == null ? 0 : spool.size;
    }

    void append(String contentId, byte[] data) throws IOException {
        Spool spool = spools.get(contentId);
        if (spool == null) {
            Files.createDirectories(dir);
            Path file = Files.createTempFile(dir, "commit-pack-", ".blob");
            try {
                spool = new Spool(file, Files.newOutputStream(file));
            } catch (IOException e) {
                Files.deleteIfExists(file);
                throw e;
            }
            spools.put(contentId, spool);
        }
        spool.out.write(data);
        spool.size += data.length;
    }

    /** Writes the spooled file into the pack as a blob and removes its temporary file. */
    ObjectId insert(String contentId, BlobPackWriter pack) throws IOException {
        Spool spool = spools.remove(contentId);
        try {
            spool.out.close();
            try (InputStream in = Files.newInputStream(spool.file)) {
                return pack.insert(spool.size, in);
            }
        } finally {
            Files.deleteIfExists(spool.file);
        }
    }

    @Override
    public void close() {
        for (Spool spool : spools.values()) {
            try {
                spool.out.close();
            } catch (IOException ignored) {
                // the file is removed next either way
            }
            try {
                Files.deleteIfExists(spool.file);
            } catch (IOException ignored) {
                // best effort: the request's answer matters more than one leftover temporary file
            }
        }
        spools.clear();
    }
}
