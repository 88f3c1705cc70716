package dev.shoal.repo.compat.storage.service;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.eclipse.jgit.internal.storage.file.BasePackIndexWriter;
import org.eclipse.jgit.internal.storage.file.ObjectDirectory;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectIdOwnerMap;
import org.eclipse.jgit.transport.PackedObjectInfo;

/**
 * The blobs of one commit-pack written into one new pack, as {@code git fast-import} does, while the
 * body streams in. Against JGit's {@code PackInserter} (measured: {@code deploy/bench/run},
 * {@code commit_pack_throughput}) it saves the costs that dominated the profile:
 * <ul>
 * <li>Each object is hashed once, with JGit's collision-detecting SHA-1 (its id). The pack's
 * trailer, an integrity checksum that names no object, is computed at the end with the JDK's
 * SHA-1 (hardware-accelerated) over the file just written, where {@code PackInserter} re-hashed the
 * whole pack with the collision-detecting one.</li>
 * <li>Incompressible content is stored, not deflated ({@link BlobEncoder}).</li>
 * <li>Blobs given whole ({@link #insert(byte[], Consumer)}) are hashed and deflated on the
 * {@code coders} executor, several at once, while the caller reads and decodes the next ones; they
 * are written into the pack in the order given, by the caller's thread. At most
 * {@value #MAX_IN_FLIGHT} blobs or {@value #MAX_IN_FLIGHT_BYTES} bytes are in flight (one larger blob
 * alone), so the heap holds a bounded part of the body.</li>
 * </ul>
 * Objects become visible only with {@link #flush()}, which writes the index and moves pack and
 * index into {@code objects/pack}; {@link #close()} without it removes the temporary files.
 * One thread uses a writer.
 */
final class BlobPackWriter implements AutoCloseable {

    static final int MAX_IN_FLIGHT = 16;
    static final int MAX_IN_FLIGHT_BYTES = 8 * 1024 * 1024;
    private static final int HEADER = 12;

    private final ObjectDirectory db;
    private final Path tmpDir;
    private final int level;
    private final Executor coders;
    private final BlobEncoder encoder = new BlobEncoder();
    private final CRC32 crc = new CRC32();
    private final byte[] out = new byte[65536];
    private final ByteBuffer pending = ByteBuffer.allocate(1 << 17);
    private final List<PackedObjectInfo> objects = new ArrayList<>();
    private final ObjectIdOwnerMap<PackedObjectInfo> written = new ObjectIdOwnerMap<>();
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    private long inFlightBytes;
    private Path tmp;
    private FileChannel file;
    /** Bytes of the pack so far (header included), and how many of them are already in the file. */
    private long offset;
    private long flushed;

    private record InFlight(CompletableFuture<BlobEncoder.Encoded> encoding, Consumer<ObjectId> whenWritten, long size) {
    }

    /**
     * {@code tmpDir}: where the pack grows until {@link #flush()}, on the repository's disk (a
     * killed process's leftovers are removed there at the next start); {@code level}: zlib level
     * for compressible content (-1: zlib's default, as git's {@code core.compression});
     * {@code coders}: where whole blobs are hashed and deflated ({@code Runnable::run}: on the caller's thread).
     */
    BlobPackWriter(ObjectDirectory db, Path tmpDir, int level, Executor coders) {
        this.db = db;
        this.tmpDir = tmpDir;
        this.level = level;
        this.coders = coders;
    }

    /**
     * Writes a blob held in memory, which the caller must no longer change; {@code whenWritten}
     * gets its id once it is in the pack, at the latest in {@link #flush()} (the same content twice
     * is written once).
     */
    void insert(byte[] data, Consumer<ObjectId> whenWritten) throws IOException {
        while (!inFlight.isEmpty() && (inFlight.size() >= MAX_IN_FLIGHT || inFlightBytes + data.length > MAX_IN_FLIGHT_BYTES)) {
            writeOldest();
        }
        int compression = level;
        CompletableFuture<BlobEncoder.Encoded> encoding = CompletableFuture.supplyAsync(
                () -> BlobEncoder.forThisThread().encode(data, 0, data.length, compression), coders);
        inFlight.add(new InFlight(encoding, whenWritten, data.length));
        inFlightBytes += data.length;
    }

    /** Writes a blob held in memory now; answers its id. */
    ObjectId insert(byte[] data, int off, int len) throws IOException {
        writeAllInFlight();
        return append(encoder.encode(data, off, len, level));
    }

    /** Writes a blob of {@code len} bytes read from {@code in} (a spooled file), hashing and deflating in one pass. */
    ObjectId insert(long len, InputStream in) throws IOException {
        if (len <= out.length) {
            byte[] data = in.readNBytes((int) len);
            if (data.length != len) {
                throw new EOFException("spooled blob is shorter than " + len + " bytes");
            }
            return insert(data, 0, data.length);
        }
        writeAllInFlight();
        encoder.startHash(len);
        long start = begin(len);
        byte[] buf = new byte[out.length];
        Deflater zlib = null;
        for (long left = len; left > 0; ) {
            int n = in.readNBytes(buf, 0, (int) Math.min(buf.length, left));
            if (n <= 0) {
                throw new EOFException("spooled blob is shorter than " + len + " bytes");
            }
            if (zlib == null) {
                zlib = encoder.deflaterFor(buf, 0, n, level);
            }
            encoder.hash(buf, 0, n);
            zlib.setInput(buf, 0, n);
            left -= n;
            if (left == 0) {
                zlib.finish();
            }
            drain(zlib);
        }
        ObjectId id = encoder.id();
        if (written.contains(id)) {
            discardFrom(start); // the same content already went in under another content id
            return id;
        }
        return end(id, start);
    }

    /** Finishes the pack, writes its index and makes both visible; no-op when nothing was written. */
    void flush() throws IOException {
        writeAllInFlight();
        if (file == null) {
            return;
        }
        flushPending();
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        header.put(Constants.PACK_SIGNATURE).putInt(2).putInt(objects.size()).flip();
        file.write(header, 0);
        byte[] trailer = trailer();
        file.write(ByteBuffer.wrap(trailer), offset);
        file.force(false);
        file.close();
        file = null;

        Collections.sort(objects);
        Path tmpIdx = indexOf(tmp);
        try (OutputStream idx = Files.newOutputStream(tmpIdx)) {
            BasePackIndexWriter.createVersion(idx, 2).write(objects, trailer);
        }
        String name = "pack-" + ObjectId.fromRaw(trailer).name();
        Path packDir = db.getPackDirectory().toPath();
        Files.createDirectories(packDir);
        Path pack = packDir.resolve(name + ".pack");
        // the pack first, then its index: JGit and git only look at packs that have an index
        move(tmp, pack);
        tmp = null;
        move(tmpIdx, packDir.resolve(name + ".idx"));
        db.openPack(pack.toFile());
    }

    /** Abandons blobs still in flight (their coders finish them for nothing) and removes the temporary files. */
    @Override
    public void close() {
        inFlight.forEach(blob -> blob.encoding().cancel(false));
        inFlight.clear();
        encoder.close();
        try {
            if (file != null) {
                file.close();
            }
            if (tmp != null) {
                Files.deleteIfExists(tmp);
                Files.deleteIfExists(indexOf(tmp));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            file = null;
            tmp = null;
        }
    }

    private static Path indexOf(Path pack) {
        return pack.resolveSibling(pack.getFileName() + ".idx");
    }

    private void writeAllInFlight() throws IOException {
        while (!inFlight.isEmpty()) {
            writeOldest();
        }
    }

    private void writeOldest() throws IOException {
        InFlight blob = inFlight.remove();
        inFlightBytes -= blob.size();
        BlobEncoder.Encoded encoded;
        try {
            encoded = blob.encoding().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw e;
        }
        blob.whenWritten().accept(append(encoded));
    }

    /** Writes an encoded blob at the end of the pack, unless the pack has it already; answers its id. */
    private ObjectId append(BlobEncoder.Encoded blob) throws IOException {
        if (written.contains(blob.id())) {
            return blob.id();
        }
        long start = begin(blob.size());
        write(blob.zlib(), 0, blob.zlibLength());
        return end(blob.id(), start);
    }

    /** Writes what the deflater has for the input given so far (all of it once finish() was called). */
    private void drain(Deflater zlib) throws IOException {
        while (!zlib.finished()) {
            int n = zlib.deflate(out);
            if (n > 0) {
                write(out, 0, n);
            } else if (zlib.needsInput()) {
                return;
            }
        }
    }

    private long begin(long len) throws IOException {
        if (file == null) {
            Files.createDirectories(tmpDir);
            tmp = Files.createTempFile(tmpDir, "pack-", ".pack");
            file = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.READ);
            offset = HEADER; // written last, once the object count is known
            flushed = HEADER;
        }
        crc.reset();
        long start = offset;
        byte[] header = new byte[16];
        long rest = len >>> 4;
        int n = 0;
        header[n++] = (byte) ((rest > 0 ? 0x80 : 0) | (Constants.OBJ_BLOB << 4) | (len & 0x0F));
        while (rest > 0) {
            long next = rest >>> 7;
            header[n++] = (byte) ((next > 0 ? 0x80 : 0) | (rest & 0x7F));
            rest = next;
        }
        write(header, 0, n);
        return start;
    }

    private ObjectId end(ObjectId id, long start) {
        PackedObjectInfo info = new PackedObjectInfo(id);
        info.setOffset(start);
        info.setCRC((int) crc.getValue());
        info.setType(Constants.OBJ_BLOB);
        objects.add(info);
        written.add(info);
        return id;
    }

    /** Forgets everything written from {@code start} on (an object that turned out to be a duplicate). */
    private void discardFrom(long start) throws IOException {
        if (start >= flushed) {
            pending.position((int) (start - flushed)); // keeps the earlier objects' bytes still buffered
        } else {
            pending.clear();
            file.truncate(start);
            flushed = start;
        }
        offset = start;
    }

    private void write(byte[] data, int off, int len) throws IOException {
        crc.update(data, off, len);
        while (len > 0) {
            int n = Math.min(len, pending.remaining());
            pending.put(data, off, n);
            offset += n;
            off += n;
            len -= n;
            if (!pending.hasRemaining()) {
                flushPending();
            }
        }
    }

    private void flushPending() throws IOException {
        pending.flip();
        while (pending.hasRemaining()) {
            flushed += file.write(pending, flushed);
        }
        pending.clear();
    }

    /** SHA-1 of everything before it, read back from the page cache with the JDK's accelerated digest. */
    private byte[] trailer() throws IOException {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        ByteBuffer buf = ByteBuffer.wrap(out);
        for (long at = 0; at < offset; ) {
            buf.clear();
            buf.limit((int) Math.min(buf.capacity(), offset - at));
            int n = file.read(buf, at);
            if (n <= 0) {
                throw new EOFException("the pack is shorter than what was written to it");
            }
            sha1.update(out, 0, n);
            at += n;
        }
        return sha1.digest();
    }

    private static void move(Path from, Path to) throws IOException {
        from.toFile().setReadOnly(); // as git leaves its packs
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }
}
