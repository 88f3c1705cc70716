package dev.shoal.repo.compat.storage.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.shoal.repo.compat.storage.StorageIdentity;
import dev.shoal.repo.compat.storage.service.StorageNotes;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * Git notes of the Code Storage API (SDK getNote, createNote, appendNote, deleteNote,
 * listNotesRefs). Refusals are Code Storage's {@code {"error": message, "code"}}, which the SDK's
 * note parser raises as API errors carrying the message.
 */
@Path("/storage/api/v1/repos/notes")
@Produces(MediaType.APPLICATION_JSON)
public class StorageNotesResource {

    private final StorageNotes notes;
    private final StorageCalls calls;

    public StorageNotesResource(StorageNotes notes, StorageCalls calls) {
        this.notes = notes;
        this.calls = calls;
    }

    @GET
    public Uni<StorageNotes.NoteRead> read(@BeanParam StorageHeaders headers,
                                           @QueryParam("sha") String sha, @QueryParam("ref") String ref) {
        return calls.onRepo(headers, "git:read", (r, who) -> notes.read(r, sha, ref));
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Uni<StorageNotes.NoteWritten> write(@BeanParam StorageHeaders headers,
                                               String body) throws JsonProcessingException {
        StorageNotes.WriteRequest request = calls.body(body, StorageNotes.WriteRequest.class);
        return calls.onRepo(headers, "git:write", (r, who) -> notes.write(r, who, request));
    }

    @DELETE
    @Consumes(MediaType.WILDCARD)
    public Uni<StorageNotes.NoteWritten> delete(@BeanParam StorageHeaders headers,
                                                String body) throws JsonProcessingException {
        StorageNotes.DeleteRequest request = calls.body(body, StorageNotes.DeleteRequest.class);
        return calls.onRepo(headers, "git:write", (r, who) -> notes.delete(r, who, request));
    }

    @GET
    @Path("/refs")
    public Uni<StorageNotes.NotesRefs> refs(@BeanParam StorageHeaders headers,
                                            @QueryParam("prefix") String prefix, @QueryParam("cursor") String cursor,
                                            @QueryParam("limit") String limit) {
        return calls.onRepo(headers, "git:read", (r, who) -> notes.refs(r, prefix, cursor, limit));
    }
}
