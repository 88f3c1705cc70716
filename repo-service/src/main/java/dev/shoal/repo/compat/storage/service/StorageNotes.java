package dev.shoal.repo.compat.storage.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.platform.error.ApiException;
import dev.shoal.platform.error.ConflictException;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.event.schema.RepoPushed;
import dev.shoal.repo.git.GitStore;
import dev.shoal.repo.git.service.RefMover;
import dev.shoal.repo.repo.Repo;
import dev.shoal.repo.compat.storage.StorageIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.jgit.errors.LargeObjectException;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.notes.Note;
import org.eclipse.jgit.notes.NoteMap;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Git notes (SDK getNote/createNote/appendNote/deleteNote/listNotesRefs) stored exactly as
 * {@code git notes} stores them: a commit chain on a {@code refs/notes/*} ref whose tree maps object
 * ids to note blobs (JGit {@link NoteMap}), so {@code git fetch origin 'refs/notes/*:refs/notes/*'}
 * and {@code git notes show} see the same notes. The notes ref moves through {@link RefMover} (lock,
 * journal, {@code repo.pushed}), as a git push of {@code refs/notes/*} does. Blocking: call on a worker.
 */
@ApplicationScoped
public class StorageNotes {

    public static final String NOTES = "refs/notes/";
    public static final String DEFAULT_REF = NOTES + "commits";
    private static final Pattern SHA = Pattern.compile("[0-9a-fA-F]{40}");
    private static final int MAX_NOTE_READ = 16 * 1024 * 1024;

    private final RefMover mover;
    private final GitStore store;

    public StorageNotes(RefMover mover, GitStore store) {
        this.mover = mover;
        this.store = store;
    }

    public record Author(String name, String email) {
    }

    /** {@code POST /notes}: {@code action} add (default) or append; remove is accepted as the DELETE call. */
    public record WriteRequest(String sha, String action, String note, String ref,
                               @JsonProperty("expected_ref_sha") String expectedRefSha, Author author) {
    }

    /** {@code DELETE /notes}; {@code action} may only say {@code remove} (older clients send it). */
    public record DeleteRequest(String sha, String action, String ref,
                                @JsonProperty("expected_ref_sha") String expectedRefSha, Author author) {
    }

    public record NoteRead(String sha, String note, @JsonProperty("ref_sha") String refSha) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Result(boolean success, String status, String message) {
    }

    /** {@code base_commit} is left out when the notes ref did not exist before the write (the SDK rejects null). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NoteWritten(String sha, @JsonProperty("target_ref") String targetRef,
                              @JsonProperty("base_commit") String baseCommit, @JsonProperty("new_ref_sha") String newRefSha,
                              Result result) {
    }

    public record NotesRef(String cursor, String ref, String sha) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NotesRefs(List<NotesRef> refs, @JsonProperty("next_cursor") String nextCursor,
                            @JsonProperty("has_more") boolean hasMore, String prefix) {
    }

    private enum Action { ADD, APPEND, REMOVE }

    public NoteRead read(Repo repo, String rawSha, String rawRef) {
        ObjectId sha = sha(rawSha);
        String ref = notesRef(rawRef);
        Repository git = store.open(repo.id());
        try (RevWalk walk = new RevWalk(git)) {
            Ref notes = git.exactRef(ref);
            if (notes == null || notes.getObjectId() == null) {
                throw new NotFoundException("no note for " + sha.name() + ": " + ref + " does not exist");
            }
            RevCommit tip = notesCommit(walk, ref, notes.getObjectId());
            NoteMap map = NoteMap.read(walk.getObjectReader(), tip);
            Note note = map.getNote(sha);
            if (note == null) {
                throw new NotFoundException("object " + sha.name() + " has no note in " + ref);
            }
            byte[] bytes = walk.getObjectReader().open(note.getData(), Constants.OBJ_BLOB).getCachedBytes(MAX_NOTE_READ);
            // git stores a note with a trailing newline ('git notes add -m x' writes "x\n"); the API shows the text
            String text = new String(bytes, StandardCharsets.UTF_8);
            return new NoteRead(sha.name(), text.endsWith("\n") ? text.substring(0, text.length() - 1) : text, tip.name());
        } catch (LargeObjectException e) {
            throw new ApiException(413, "payload_too_large", "the note on " + sha.name() + " is larger than 16 MiB");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public NoteWritten write(Repo repo, StorageIdentity who, WriteRequest req) {
        if (req == null) {
            throw new ValidationException("a JSON body is required: {\"sha\", \"action\": \"add\"|\"append\", \"note\"}");
        }
        Action action = switch (req.action() == null ? "add" : req.action()) {
            case "add" -> Action.ADD;
            case "append" -> Action.APPEND;
            case "remove" -> Action.REMOVE;
            default -> throw new ValidationException("action must be 'add' (a new note), 'append' (to an existing note) "
                    + "or 'remove'");
        };
        if (action != Action.REMOVE && (req.note() == null || req.note().isBlank())) {
            throw new ValidationException("note is required: the text to " + (action == Action.ADD ? "attach" : "append"));
        }
        if (action == Action.REMOVE && req.note() != null) {
            throw new ValidationException("note must not be given when removing a note");
        }
        return change(repo, who, action, req.sha(), req.note(), req.ref(), req.expectedRefSha(), req.author());
    }

    public NoteWritten delete(Repo repo, StorageIdentity who, DeleteRequest req) {
        if (req == null) {
            throw new ValidationException("a JSON body is required: {\"sha\"[, \"ref\", \"expected_ref_sha\", \"author\"]}");
        }
        if (req.action() != null && !req.action().equals("remove")) {
            throw new ValidationException("action must be 'remove' (or absent) on DELETE; add and append are POST");
        }
        return change(repo, who, Action.REMOVE, req.sha(), null, req.ref(), req.expectedRefSha(), req.author());
    }

    private NoteWritten change(Repo repo, StorageIdentity who, Action action, String rawSha, String text, String rawRef,
                               String rawExpected, Author author) {
        ObjectId sha = sha(rawSha);
        String ref = notesRef(rawRef);
        ObjectId expected = null;
        if (rawExpected != null && !rawExpected.isEmpty()) {
            if (!SHA.matcher(rawExpected).matches()) {
                throw new ValidationException("expected_ref_sha must be the notes ref's current 40-character SHA");
            }
            expected = ObjectId.fromString(rawExpected);
        }
        PersonIdent ident = ident(author, who);
        ObjectId guard = expected;
        return mover.locked(repo.id(), git -> {
            try (RevWalk walk = new RevWalk(git); ObjectInserter inserter = git.newObjectInserter()) {
                ObjectReader reader = walk.getObjectReader();
                if (!reader.has(sha)) {
                    throw new NotFoundException("object " + sha.name() + " not found in the repository");
                }
                Ref current = git.exactRef(ref);
                ObjectId old = current == null ? null : current.getObjectId();
                if (guard != null && !guard.equals(old == null ? ObjectId.zeroId() : old)) {
                    throw new ApiException(409, "conflict", "expected_ref_sha " + guard.name() + " does not match " + ref
                            + (old == null ? ", which does not exist yet" : " at " + old.name()) + "; read the note again and retry",
                            Map.of("current_ref_sha", old == null ? ObjectId.zeroId().name() : old.name()));
                }
                RevCommit parent = old == null ? null : notesCommit(walk, ref, old);
                NoteMap map = parent == null ? NoteMap.newEmptyMap() : NoteMap.read(reader, parent);
                ObjectId existing = map.get(sha);
                String message;
                switch (action) {
                    case ADD -> {
                        if (existing != null) {
                            throw new ConflictException("object " + sha.name() + " already has a note in " + ref
                                    + "; append to it, or delete it first");
                        }
                        map.set(sha, terminated(text), inserter);
                        message = "Notes added by 'git notes add'";
                    }
                    case APPEND -> {
                        // as git notes append: the old text, a blank line, the new text
                        String body = existing == null ? terminated(text)
                                : terminated(new String(reader.open(existing, Constants.OBJ_BLOB).getCachedBytes(MAX_NOTE_READ),
                                        StandardCharsets.UTF_8)) + "\n" + terminated(text);
                        map.set(sha, body, inserter);
                        message = "Notes added by 'git notes append'";
                    }
                    default -> {
                        if (existing == null) {
                            throw new NotFoundException("object " + sha.name() + " has no note in " + ref);
                        }
                        map.remove(sha);
                        message = "Notes removed by 'git notes remove'";
                    }
                }
                CommitBuilder commit = new CommitBuilder();
                commit.setTreeId(map.writeTree(inserter));
                if (parent != null) {
                    commit.setParentId(parent);
                }
                commit.setAuthor(ident);
                commit.setCommitter(ident);
                commit.setMessage(message + "\n");
                ObjectId created = inserter.insert(commit);
                inserter.flush();
                mover.move(repo, git, ref, old, created, new RepoPushed.Pusher(null, who.issuer()));
                return new NoteWritten(sha.name(), ref, old == null ? null : old.name(), created.name(),
                        new Result(true, "ok", action == Action.REMOVE ? "note removed" : "note written"));
            } catch (LargeObjectException e) {
                throw new ApiException(413, "payload_too_large", "the note on " + sha.name() + " is larger than 16 MiB");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Notes refs under {@code prefix} by name; the cursor ({@code n_…}) names the page's last ref. */
    public NotesRefs refs(Repo repo, String rawPrefix, String cursor, String rawLimit) {
        String prefix = notesPrefix(rawPrefix);
        int limit = StorageReads.limit(rawLimit);
        String after = null;
        if (cursor != null && !cursor.isEmpty()) {
            try {
                after = new String(Base64.getUrlDecoder().decode(cursor.startsWith("n_") ? cursor.substring(2) : "!"),
                        StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new ValidationException("cursor is not one this service returned");
            }
        }
        Repository git = store.open(repo.id());
        try {
            List<Ref> all = new ArrayList<>(git.getRefDatabase().getRefsByPrefix(prefix));
            all.sort(Comparator.comparing(Ref::getName));
            List<NotesRef> page = new ArrayList<>();
            boolean more = false;
            for (Ref ref : all) {
                if (ref.isSymbolic() || ref.getObjectId() == null || (after != null && ref.getName().compareTo(after) <= 0)) {
                    continue;
                }
                if (page.size() == limit) {
                    more = true;
                    break;
                }
                page.add(new NotesRef("n_" + Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(ref.getName().getBytes(StandardCharsets.UTF_8)), ref.getName(), ref.getObjectId().name()));
            }
            return new NotesRefs(page, more ? page.get(page.size() - 1).cursor() : null, more, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The notes ref a request names: absent → {@code refs/notes/commits}; a bare name → under
     * {@code refs/notes/}; a full {@code refs/notes/*} ref as is; any other ref, {@code ..} or an
     * invalid ref name → 400.
     */
    static String notesRef(String raw) {
        if (raw == null || raw.isEmpty()) {
            return DEFAULT_REF;
        }
        String ref = raw.startsWith(NOTES) ? raw : raw.startsWith("refs/") ? null : NOTES + raw;
        if (ref == null || ref.contains("..") || ref.length() == NOTES.length() || ref.length() > 255
                || !Repository.isValidRefName(ref)) {
            throw new ValidationException("ref must be a notes ref: a name such as 'reviews' (refs/notes/reviews) or a full "
                    + "refs/notes/... ref, without '..', spaces, '~', '^', ':' or control characters");
        }
        return ref;
    }

    /** The listing prefix: absent → {@code refs/notes/}; a bare prefix → under {@code refs/notes/}. */
    static String notesPrefix(String raw) {
        if (raw == null || raw.isEmpty() || raw.equals("refs/notes") || raw.equals(NOTES)) {
            return NOTES;
        }
        String prefix = raw.startsWith(NOTES) ? raw : raw.startsWith("refs/") ? null : NOTES + raw;
        // a prefix may end in '/', which a ref name may not: check it as the ref it would start
        String probe = prefix == null ? null : prefix.endsWith("/") ? prefix + "x" : prefix;
        if (probe == null || prefix.contains("..") || prefix.length() > 255 || !Repository.isValidRefName(probe)) {
            throw new ValidationException("prefix must be under refs/notes/: a name such as 'reviews/' or a full "
                    + "refs/notes/... prefix, without '..', spaces, '~', '^', ':' or control characters");
        }
        return prefix;
    }

    /** A notes ref pushed by git could point at anything; only a commit holds notes. */
    private static RevCommit notesCommit(RevWalk walk, String ref, ObjectId id) throws IOException {
        try {
            return walk.parseCommit(id);
        } catch (org.eclipse.jgit.errors.IncorrectObjectTypeException e) {
            throw new ConflictException(ref + " does not point at a commit, so it holds no notes; delete or repair it with git");
        }
    }

    private static ObjectId sha(String raw) {
        if (raw == null || !SHA.matcher(raw).matches()) {
            throw new ValidationException("sha is required: the full 40-character SHA of the object the note is on");
        }
        return ObjectId.fromString(raw);
    }

    private static PersonIdent ident(Author author, StorageIdentity who) {
        if (author == null) {
            return new PersonIdent(who.issuer(), "noreply@shoal.local");
        }
        if (author.name() == null || author.name().isBlank() || author.email() == null || author.email().isBlank()
                || (author.name() + author.email()).chars().anyMatch(c -> c < 0x20 || c == '<' || c == '>')) {
            throw new ValidationException("author needs a name and an email, without '<', '>' or control characters");
        }
        return new PersonIdent(author.name().trim(), author.email().trim());
    }

    private static String terminated(String text) {
        return text.endsWith("\n") ? text : text + "\n";
    }
}
