package dev.shoal.repo.storage.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.platform.error.PayloadTooLargeException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.repo.repo.Repo;
import dev.shoal.repo.storage.CommitAck;
import dev.shoal.repo.storage.CommitMetadata;
import dev.shoal.repo.storage.StorageIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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

    static final long MAX_PATCH = 256L * 1024 * 1024;

    private final ObjectMapper mapper;
    private final StorageCommits commits;

    public DiffCommitService(ObjectMapper mapper, StorageCommits commits) {
        this.mapper = mapper;
        this.commits = commits;
    }

    record DiffLine(@JsonProperty("diff_chunk") Chunk diffChunk) {
    }

    record Chunk(JsonNode data, Boolean eof) {
    }

    public CommitAck diffCommit(Repo repo, StorageIdentity who, InputStream body) {
        NdjsonReader reader = new NdjsonReader(body);
        CommitMetadata meta = CommitPackService.metadata(mapper, reader);
        StorageCommits.validate(meta, false);
        if (meta.files() != null) {
            throw new ValidationException("metadata.files is for commit-pack; diff-commit takes the changes as diff_chunk lines");
        }
        ByteArrayOutputStream patch = new ByteArrayOutputStream();
        boolean eof = false;
        byte[] line;
        while ((line = reader.next(CommitPackService.MAX_CHUNK_LINE)) != null) {
            if (eof) {
                throw new ValidationException("line " + reader.lineNumber() + ": nothing may follow the chunk with \"eof\": true");
            }
            Chunk chunk;
            try {
                DiffLine parsed = mapper.readValue(line, DiffLine.class);
                chunk = parsed.diffChunk();
            } catch (JsonProcessingException e) {
                throw new ValidationException("line " + reader.lineNumber() + " must be {\"diff_chunk\": {\"data\", \"eof\"}}: "
                        + e.getOriginalMessage());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (chunk == null || chunk.data() == null) {
                throw new ValidationException("line " + reader.lineNumber() + " must be {\"diff_chunk\": {\"data\", \"eof\"}}");
            }
            byte[] data = CommitPackService.decode(CommitPackService.text(chunk.data(), "diff_chunk", reader.lineNumber()),
                    reader.lineNumber());
            if (patch.size() + data.length > MAX_PATCH) {
                throw new PayloadTooLargeException("the patch may be at most " + MAX_PATCH + " bytes");
            }
            patch.write(data, 0, data.length);
            eof = Boolean.TRUE.equals(chunk.eof());
        }
        if (!eof) {
            throw new ValidationException("the body ended before a diff_chunk with \"eof\": true");
        }
        Patch parsed = new Patch();
        try {
            parsed.parse(new ByteArrayInputStream(patch.toByteArray()));
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
}
