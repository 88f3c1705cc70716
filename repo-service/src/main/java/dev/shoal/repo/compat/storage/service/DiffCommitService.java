package dev.shoal.repo.compat.storage.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.platform.error.PayloadTooLargeException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.repo.git.GitStore;
import dev.shoal.repo.repo.Repo;
import dev.shoal.repo.compat.storage.CommitAck;
import dev.shoal.repo.compat.storage.CommitMetadata;
import dev.shoal.repo.compat.storage.StorageIdentity;
import dev.shoal.repo.compat.storage.config.StorageLimitsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.UncheckedIOException;
import java.util.stream.Collectors;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.patch.FileHeader;
import org.eclipse.jgit.patch.Patch;
import org.eclipse.jgit.patch.PatchApplier;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * diff-commit: a metadata line, then base64 {@code diff_chunk}s forming a patch as
 * {@code git apply --cached --binary} takes it, applied with JGit's PatchApplier to the branch's
 * tree in memory (bare repository, no work tree). A patch that does not apply is answered with
 * {@code result.success = false}; nothing moves.
 */
@ApplicationScoped
public class DiffCommitService {

    private final ObjectMapper mapper;
    private final StorageCommits commits;
    private final GitStore store;
    private final long maxPatch;

    public DiffCommitService(ObjectMapper mapper, StorageCommits commits, GitStore store, StorageLimitsConfig config) {
        this.mapper = mapper;
        this.commits = commits;
        this.store = store;
        this.maxPatch = config.diffCommit().maxPatchSize();
    }

    record DiffLine(@JsonProperty("diff_chunk") Chunk diffChunk) {
    }

    record Chunk(ChunkData data, Boolean eof) {
    }

    public CommitAck diffCommit(Repo repo, StorageIdentity who, InputStream body) {
        // base64 and the JSON around each chunk take at most twice the patch, plus the metadata line
        NdjsonReader reader = new NdjsonReader(body, 2 * maxPatch + CommitPackService.MAX_METADATA_LINE,
                "twice shoal.repo.storage.diff-commit.max-patch-size plus the metadata line");
        CommitMetadata meta = CommitPackService.metadata(mapper, reader);
        StorageCommits.validate(meta, false);
        if (meta.files() != null) {
            throw new ValidationException("metadata.files is for commit-pack; diff-commit takes the changes as diff_chunk lines");
        }
        Patch parsed = new Patch();
        try {
            byte[] patch = spoolPatch(reader);
            parsed.parse(patch, 0, patch.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!parsed.getErrors().isEmpty()) {
            throw new ValidationException("the diff is not a patch git apply accepts: " + parsed.getErrors().get(0).getMessage());
        }
        // The same path rules as commit-pack, before the branch is touched ('..', '.git', NUL, ...).
        for (FileHeader file : parsed.getFiles()) {
            for (String path : new String[] {file.getOldPath(), file.getNewPath()}) {
                if (path != null && !path.equals(DiffEntry.DEV_NULL)) {
                    CommitPackService.safePath("the diff's file path", path);
                }
            }
        }
        return commits.commit(repo, who, meta, reader.bytesRead(), 0, (git, objects, inserter, parent) -> {
            if (parsed.getFiles().isEmpty()) {
                throw new StorageCommits.NotApplied("empty", "the diff changes no file");
            }
            if (parent == null) {
                throw new StorageCommits.NotApplied("precondition_failed", "the branch has no commit to apply the diff to");
            }
            try (RevWalk walk = new RevWalk(objects)) {
                PatchApplier.Result result = new PatchApplier(git, walk.parseTree(parent.getTree()), inserter).applyPatch(parsed);
                if (!result.getErrors().isEmpty()) {
                    throw new StorageCommits.NotApplied("conflict", "the diff does not apply: "
                            + result.getErrors().stream().map(Object::toString).collect(Collectors.joining("; ")));
                }
                return result.getTreeId();
            }
        });
    }

    /**
     * The decoded patch, spooled to a temporary file while it arrives and read back in one array of
     * its exact size: JGit parses patches in memory, so the cap is what bounds the heap, and the
     * spool keeps a growing buffer's copies (up to three times the patch) out of it.
     */
    private byte[] spoolPatch(NdjsonReader reader) throws IOException {
        Path dir = store.root().resolve(CommitPackService.SPOOL_DIR);
        Files.createDirectories(dir);
        Path file = Files.createTempFile(dir, "diff-commit-", ".patch");
        try {
            long size = 0;
            boolean eof = false;
            try (OutputStream out = Files.newOutputStream(file)) {
                NdjsonReader.Line line;
                while ((line = reader.next(CommitPackService.MAX_CHUNK_LINE)) != null) {
                    if (eof) {
                        throw new ValidationException("line " + reader.lineNumber() + ": nothing may follow the chunk with \"eof\": true");
                    }
                    Chunk chunk;
                    try {
                        chunk = mapper.readValue(line.bytes(), 0, line.length(), DiffLine.class).diffChunk();
                    } catch (JsonProcessingException e) {
                        throw new ValidationException("line " + reader.lineNumber() + " must be {\"diff_chunk\": {\"data\", \"eof\"}}: "
                                + e.getOriginalMessage());
                    }
                    if (chunk == null || chunk.data() == null) {
                        throw new ValidationException("line " + reader.lineNumber() + " must be {\"diff_chunk\": {\"data\", \"eof\"}}");
                    }
                    byte[] data = chunk.data().decode(line.bytes(), line.length(), "diff_chunk", reader.lineNumber());
                    size += data.length;
                    if (size > maxPatch) {
                        throw new PayloadTooLargeException("the patch is larger than " + maxPatch
                                + " bytes, the most this server applies (shoal.repo.storage.diff-commit.max-patch-size); split it into several commits");
                    }
                    out.write(data);
                    eof = Boolean.TRUE.equals(chunk.eof());
                }
            }
            if (!eof) {
                throw new ValidationException("the body ended before a diff_chunk with \"eof\": true");
            }
            return Files.readAllBytes(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
