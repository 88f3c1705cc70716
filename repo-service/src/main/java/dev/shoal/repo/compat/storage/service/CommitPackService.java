package dev.shoal.repo.compat.storage.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.platform.error.PayloadTooLargeException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.repo.content.GitPaths;
import dev.shoal.repo.git.GitStore;
import dev.shoal.repo.repo.Repo;
import dev.shoal.repo.compat.storage.CommitAck;
import dev.shoal.repo.compat.storage.CommitMetadata;
import dev.shoal.repo.compat.storage.StorageIdentity;
import dev.shoal.repo.compat.storage.config.StorageLimitsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.internal.storage.file.ObjectDirectory;
import org.eclipse.jgit.lib.CoreConfig;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * commit-pack: a metadata line, then base64 blob chunks (each ≤ 4 MiB decoded). A file in one chunk
 * goes straight into the pack; a file in several is spooled to a temporary file until its eof chunk
 * (see {@link SpooledBlobs}), so the heap holds one chunk, whatever the body's size. Everything is
 * checked before the branch is touched: a bad line, chunk, path or content id is a 400, a file or
 * body over its cap ({@code shoal.repo.storage.commit-pack.*}) a 413 as soon as it passes it, and the branch
 * stays where it was (unreferenced blobs are collected by GC later).
 */
@ApplicationScoped
public class CommitPackService {

    /** A chunk line: 4 MiB as base64 plus the JSON around it. */
    static final int MAX_CHUNK_LINE = ChunkData.MAX_CHUNK / 3 * 4 + 8 + 4096;
    static final int MAX_METADATA_LINE = 32 * 1024 * 1024;

    /** Under the storage root, so a spooled file is on the same disk as the packs it becomes. */
    static final String SPOOL_DIR = ".commit-pack";

    private final ObjectMapper mapper;
    private final GitStore store;
    private final StorageCommits commits;
    private final StorageLimitsConfig.CommitPack limits;
    private final BlobCoders coders;

    public CommitPackService(ObjectMapper mapper, GitStore store, StorageCommits commits, StorageLimitsConfig config,
                             BlobCoders coders) {
        this.mapper = mapper;
        this.store = store;
        this.commits = commits;
        this.coders = coders;
        this.limits = config.commitPack();
        limits.compression().ifPresent(level -> {
            if (level < -1 || level > 9) {
                throw new IllegalArgumentException("shoal.repo.storage.commit-pack.compression must be a zlib level from -1 to 9, not " + level);
            }
        });
    }

    record ChunkLine(@JsonProperty("blob_chunk") Chunk blobChunk) {
    }

    /** {@code data} is not a String: a number must not be coerced into a "base64" string (42 → "42" → one byte). */
    record Chunk(@JsonProperty("content_id") String contentId, ChunkData data, Boolean eof) {
    }

    private record Op(String path, boolean delete, String contentId, FileMode mode) {
    }

    public CommitAck commitPack(Repo repo, StorageIdentity who, InputStream body) {
        NdjsonReader reader = new NdjsonReader(body, limits.maxBodySize(), "shoal.repo.storage.commit-pack.max-body-size");
        CommitMetadata meta = metadata(mapper, reader);
        StorageCommits.validate(meta, true);
        List<Op> ops = operations(meta.files());
        Map<String, String> pending = new HashMap<>(); // content_id → the first path that names it, for messages
        Map<String, ObjectId> blobs = new HashMap<>(); // filled as blobs reach the pack, all of them by flush()
        for (Op op : ops) {
            if (!op.delete()) {
                pending.putIfAbsent(op.contentId(), op.path());
            }
        }
        Set<String> deleteIds = new HashSet<>();
        ops.stream().filter(Op::delete).map(Op::contentId).filter(id -> id != null).forEach(deleteIds::add);
        Repository git = store.open(repo.id());
        Path spoolDir = store.root().resolve(SPOOL_DIR);
        Set<String> named = new HashSet<>(pending.keySet());
        try (BlobPackWriter pack = new BlobPackWriter((ObjectDirectory) git.getObjectDatabase(), spoolDir, compression(git),
                coders.executor());
             SpooledBlobs spooled = new SpooledBlobs(spoolDir)) {
            NdjsonReader.Line line;
            while ((line = reader.next(MAX_CHUNK_LINE)) != null) {
                Chunk chunk = chunk(line, reader.lineNumber());
                String id = chunk.contentId();
                if (deleteIds.contains(id) && !pending.containsKey(id)) {
                    continue; // delete operations may send an empty EOF chunk; it carries nothing
                }
                String path = pending.get(id);
                if (path == null) {
                    throw new ValidationException(named.contains(id)
                            ? "line " + reader.lineNumber() + ": content_id '" + id + "' already had its eof chunk"
                            : "line " + reader.lineNumber() + ": content_id '" + id + "' names no file in metadata.files");
                }
                byte[] data = chunk.data().decode(line.bytes(), line.length(), "blob_chunk", reader.lineNumber());
                if (spooled.size(id) + data.length > limits.maxFileSize()) {
                    throw new PayloadTooLargeException("file '" + path + "' (content_id '" + id + "') is larger than "
                            + limits.maxFileSize() + " bytes, the most one file may be (shoal.repo.storage.commit-pack.max-file-size)");
                }
                boolean eof = Boolean.TRUE.equals(chunk.eof());
                if (eof && !spooled.has(id)) {
                    // the usual case, a file in one chunk: straight into the pack, hashed while the next lines are read
                    pack.insert(data, blobId -> blobs.put(id, blobId));
                    pending.remove(id);
                    continue;
                }
                spooled.append(id, data);
                if (eof) {
                    blobs.put(id, spooled.insert(id, pack));
                    pending.remove(id);
                }
            }
            if (!pending.isEmpty()) {
                Map.Entry<String, String> missing = pending.entrySet().iterator().next();
                throw new ValidationException("file '" + missing.getValue() + "' (content_id '" + missing.getKey()
                        + "') got no blob_chunk with \"eof\": true; send an empty EOF chunk for empty files");
            }
            pack.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return commits.commit(repo, who, meta, reader.bytesRead(), blobs.size(),
                (repository, objects, inserter, parent) -> {
                    TreeMap<String, DirCacheEntry> entries = new TreeMap<>();
                    if (parent != null) {
                        try (TreeWalk walk = new TreeWalk(objects)) {
                            walk.addTree(parent.getTree());
                            walk.setRecursive(true);
                            while (walk.next()) {
                                DirCacheEntry entry = new DirCacheEntry(walk.getPathString());
                                entry.setFileMode(walk.getFileMode(0));
                                entry.setObjectId(walk.getObjectId(0));
                                entries.put(walk.getPathString(), entry);
                            }
                        }
                    }
                    for (Op op : ops) {
                        if (op.delete()) {
                            entries.remove(op.path());
                            entries.subMap(op.path() + "/", op.path() + "0").clear(); // a directory: everything under it
                            continue;
                        }
                        DirCacheEntry existing = entries.get(op.path());
                        DirCacheEntry entry = new DirCacheEntry(op.path());
                        entry.setFileMode(op.mode() != null ? op.mode() : existing != null ? existing.getFileMode() : FileMode.REGULAR_FILE);
                        entry.setObjectId(blobs.get(op.contentId()));
                        entries.put(op.path(), entry);
                    }
                    for (String path : entries.keySet()) {
                        for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
                            if (entries.containsKey(path.substring(0, slash))) {
                                throw new ValidationException("'" + path.substring(0, slash) + "' is a file, so '" + path
                                        + "' cannot be written under it; delete it in the same commit");
                            }
                        }
                    }
                    DirCache index = DirCache.newInCore();
                    DirCacheBuilder builder = index.builder();
                    entries.values().forEach(builder::add);
                    builder.finish();
                    return index.writeTree(inserter);
                });
    }

    static CommitMetadata metadata(ObjectMapper mapper, NdjsonReader reader) {
        NdjsonReader.Line first = reader.next(MAX_METADATA_LINE);
        if (first == null) {
            throw new ValidationException("the body is empty: send a {\"metadata\": {...}} line first");
        }
        try {
            CommitMetadata.Line line = mapper.readValue(first.bytes(), 0, first.length(), CommitMetadata.Line.class);
            return line.metadata();
        } catch (JsonProcessingException e) {
            throw new ValidationException("line 1 must be {\"metadata\": {...}}: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Chunk chunk(NdjsonReader.Line line, int number) {
        ChunkLine parsed;
        try {
            parsed = mapper.readValue(line.bytes(), 0, line.length(), ChunkLine.class);
        } catch (JsonProcessingException e) {
            throw new ValidationException("line " + number + " must be {\"blob_chunk\": {\"content_id\", \"data\", \"eof\"}}: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (parsed.blobChunk() == null || parsed.blobChunk().contentId() == null || parsed.blobChunk().data() == null) {
            throw new ValidationException("line " + number + " must be {\"blob_chunk\": {\"content_id\", \"data\", \"eof\"}}");
        }
        parsed.blobChunk().data().requireString("blob_chunk", number);
        return parsed.blobChunk();
    }

    private static List<Op> operations(List<CommitMetadata.FileOp> files) {
        Map<String, Op> byPath = new LinkedHashMap<>();
        for (int i = 0; i < files.size(); i++) {
            CommitMetadata.FileOp file = files.get(i);
            String field = "metadata.files[" + i + "]";
            if (file == null || file.path() == null) {
                throw new ValidationException(field + ".path is required");
            }
            String path = safePath(field + ".path", file.path());
            String operation = file.operation() == null ? "upsert" : file.operation();
            boolean delete;
            switch (operation) {
                case "upsert" -> delete = false;
                case "delete" -> delete = true;
                default -> throw new ValidationException(field + ".operation must be 'upsert' or 'delete'");
            }
            if (!delete && (file.contentId() == null || file.contentId().isEmpty())) {
                throw new ValidationException(field + ".content_id is required for upserts: blob chunks reference it");
            }
            if (byPath.put(path, new Op(path, delete, file.contentId(), delete ? null : mode(field, file.mode()))) != null) {
                throw new ValidationException(field + ": '" + path + "' appears more than once in metadata.files");
            }
        }
        return new ArrayList<>(byPath.values());
    }

    static String safePath(String field, String raw) {
        String stripped = raw.replaceFirst("^/+", "");
        String path;
        try {
            path = GitPaths.requireFile(stripped);
        } catch (ValidationException e) {
            throw new ValidationException(field + " '" + printable(raw) + "': " + e.getMessage());
        }
        for (String segment : path.split("/")) {
            if (segment.equalsIgnoreCase(".git")) {
                throw new ValidationException(field + " '" + printable(raw) + "' may not contain a '.git' segment");
            }
        }
        return path;
    }

    /** For messages: control characters (NUL above all) shown escaped, not echoed raw. */
    private static String printable(String raw) {
        StringBuilder out = new StringBuilder();
        raw.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    private static FileMode mode(String field, String mode) {
        if (mode == null) {
            return null;
        }
        return switch (mode) {
            case "100644" -> FileMode.REGULAR_FILE;
            case "100755" -> FileMode.EXECUTABLE_FILE;
            case "120000" -> FileMode.SYMLINK;
            default -> throw new ValidationException(field + ".mode must be 100644, 100755 or 120000");
        };
    }

    /** The configured level, else the repository's {@code core.compression} (zlib's default unless set). */
    private int compression(Repository git) {
        return limits.compression().orElseGet(() -> git.getConfig().get(CoreConfig.KEY).getCompression());
    }
}
