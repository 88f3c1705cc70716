package dev.shoal.repo.compat.storage.service;

import java.util.Arrays;
import java.util.zip.Deflater;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.util.sha1.SHA1;

/**
 * What a blob costs before it goes into a pack: its id, hashed with JGit's collision-detecting
 * SHA-1, and its zlib stream. The hasher and the three deflaters are reused from blob to blob: a
 * pack writer has its own for the blobs it encodes on its caller's thread, and each coder thread
 * has one ({@link #forThisThread()}) for as long as it lives, so several blobs are encoded at once.
 *
 * <p>Content zlib cannot shrink (already compressed or random: images, archives, builds) is stored
 * in zlib's uncompressed blocks instead of being run through the deflater for nothing: when the
 * first {@value #SAMPLE} bytes cannot shrink by one sixteenth, the object is stored. That is known
 * without zlib for evenly spread bytes without repeats ({@link IncompressibleSample}), else from a test
 * deflate of those bytes at the fastest level. Everything else is deflated at the level asked for. Readers
 * (JGit, C git) see an ordinary zlib stream either way; GC and clones reuse it as is.
 */
final class BlobEncoder implements AutoCloseable {

    /** How much of an object is test-deflated to decide whether deflating it is worth the time. */
    static final int SAMPLE = 4096;

    private static final ThreadLocal<BlobEncoder> PER_THREAD = ThreadLocal.withInitial(BlobEncoder::new);

    private final SHA1 hash = SHA1.newInstance();
    private final byte[] scratch = new byte[SAMPLE + 64];
    private final IncompressibleSample incompressible = new IncompressibleSample();
    private Deflater deflater;
    private int deflaterLevel;
    private Deflater stored;
    private Deflater probe;

    /** A blob's id and its zlib stream, {@code zlib[0, zlibLength)}. */
    record Encoded(ObjectId id, long size, byte[] zlib, int zlibLength) {
    }

    /** The encoder of the calling thread, for threads that live as long as the process (coders). */
    static BlobEncoder forThisThread() {
        return PER_THREAD.get();
    }

    /** Frees the deflaters' native memory now rather than when the encoder is collected. */
    @Override
    public void close() {
        for (Deflater zlib : new Deflater[] {deflater, stored, probe}) {
            if (zlib != null) {
                zlib.end();
            }
        }
        deflater = null;
        stored = null;
        probe = null;
    }

    /** Hashes and deflates {@code data[off, off + len)} at zlib {@code level} (-1: zlib's default; 0: stored). */
    Encoded encode(byte[] data, int off, int len, int level) {
        startHash(len);
        hash(data, off, len);
        ObjectId id = id();
        Deflater zlib = deflaterFor(data, off, len, level);
        zlib.setInput(data, off, len);
        zlib.finish();
        // zlib's bound for stored blocks: 5 bytes per 64 KiB block, plus the stream's header and trailer
        byte[] out = new byte[len + len / 16_000 * 5 + 64];
        int n = 0;
        while (!zlib.finished()) {
            if (n == out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            n += zlib.deflate(out, n, out.length - n);
        }
        return new Encoded(id, len, out, n);
    }

    /** Starts the id of a blob of {@code len} bytes: its header; {@link #hash} its bytes, then {@link #id()}. */
    void startHash(long len) {
        hash.reset();
        hash.update(Constants.encodedTypeString(Constants.OBJ_BLOB));
        hash.update((byte) ' ');
        hash.update(Constants.encodeASCII(len));
        hash.update((byte) 0);
    }

    void hash(byte[] data, int off, int len) {
        hash.update(data, off, len);
    }

    ObjectId id() {
        return hash.toObjectId();
    }

    /**
     * The reset deflater for a blob that starts with {@code data[off, off + len)}: stored blocks when
     * its first bytes cannot shrink by 1/16 ({@link IncompressibleSample}, else a test deflate), else {@code level}.
     */
    Deflater deflaterFor(byte[] data, int off, int len, int level) {
        boolean store = level == Deflater.NO_COMPRESSION;
        if (!store && len >= 512) {
            int sample = Math.min(len, SAMPLE);
            // the cheap bound first: random or already-compressed content never reaches zlib
            store = incompressible.certainlyIncompressible(data, off, sample) || probeSavesTooLittle(data, off, sample);
        }
        if (store) {
            if (stored == null) {
                stored = new Deflater(Deflater.NO_COMPRESSION);
            }
            stored.reset();
            return stored;
        }
        if (deflater != null && deflaterLevel != level) {
            // not setLevel(): zlib would deflate the input already given at the old level
            deflater.end();
            deflater = null;
        }
        if (deflater == null) {
            deflater = new Deflater(level);
            deflaterLevel = level;
        }
        deflater.reset();
        return deflater;
    }

    /** Deflates {@code data[off, off + sample)} at the fastest level: true when that saves less than 1/16. */
    private boolean probeSavesTooLittle(byte[] data, int off, int sample) {
        if (probe == null) {
            probe = new Deflater(Deflater.BEST_SPEED);
        }
        probe.reset();
        probe.setInput(data, off, sample);
        probe.finish();
        int size = probe.deflate(scratch);
        return probe.finished() && size > sample - sample / 16;
    }
}
