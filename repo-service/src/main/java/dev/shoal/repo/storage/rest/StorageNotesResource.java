package dev.shoal.repo.storage.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.platform.identity.CurrentCaller;
import dev.shoal.repo.git.Workers;
import dev.shoal.repo.repo.Repo;
import dev.shoal.repo.storage.StorageIdentity;
import dev.shoal.repo.storage.service.StorageNotes;
import dev.shoal.repo.storage.service.StorageRepos;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.function.BiFunction;

/**
 * Git notes of the Code Storage API (SDK getNote, createNote, appendNote, deleteNote,
 * listNotesRefs). Refusals are Code Storage's {@code {"error": message, "code"}}, which the SDK's
 * note parser raises as API errors carrying the message.
 */
@Path("/storage/api/v1/repos/notes")
@Produces(MediaType.APPLICATION_JSON)
public class StorageNotesResource {

    private final StorageRepos repos;
    private final StorageNotes notes;
    private final CurrentCaller caller;
    private final ObjectMapper json;

    public StorageNotesResource(StorageRepos repos, StorageNotes notes, CurrentCaller caller, ObjectMapper json) {
        this.repos = repos;
        this.notes = notes;
        this.caller = caller;
        this.json = json;
    }

    @GET
    public Uni<StorageNotes.NoteRead> read(@HeaderParam(StorageIdentity.ISSUER_HEADER) String issuer,
                                           @HeaderParam(StorageIdentity.REPO_HEADER) String repo,
                                           @HeaderParam(StorageIdentity.SCOPES_HEADER) String scopes,
                                           @QueryParam("sha") String sha, @QueryParam("ref") String ref) {
        return onRepo(issuer, repo, scopes, "git:read", (r, who) -> notes.read(r, sha, ref));
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Uni<StorageNotes.NoteWritten> write(@HeaderParam(StorageIdentity.ISSUER_HEADER) String issuer,
                                               @HeaderParam(StorageIdentity.REPO_HEADER) String repo,
                                               @HeaderParam(StorageIdentity.SCOPES_HEADER) String scopes,
                                               String body) throws JsonProcessingException {
        StorageNotes.WriteRequest request = read(body, StorageNotes.WriteRequest.class);
        return onRepo(issuer, repo, scopes, "git:write", (r, who) -> notes.write(r, who, request));
    }

    @DELETE
    @Consumes(MediaType.WILDCARD)
    public Uni<StorageNotes.NoteWritten> delete(@HeaderParam(StorageIdentity.ISSUER_HEADER) String issuer,
                                                @HeaderParam(StorageIdentity.REPO_HEADER) String repo,
                                                @HeaderParam(StorageIdentity.SCOPES_HEADER) String scopes,
                                                String body) throws JsonProcessingException {
        StorageNotes.DeleteRequest request = read(body, StorageNotes.DeleteRequest.class);
        return onRepo(issuer, repo, scopes, "git:write", (r, who) -> notes.delete(r, who, request));
    }

    @GET
    @Path("/refs")
    public Uni<StorageNotes.NotesRefs> refs(@HeaderParam(StorageIdentity.ISSUER_HEADER) String issuer,
                                            @HeaderParam(StorageIdentity.REPO_HEADER) String repo,
                                            @HeaderParam(StorageIdentity.SCOPES_HEADER) String scopes,
                                            @QueryParam("prefix") String prefix, @QueryParam("cursor") String cursor,
                                            @QueryParam("limit") String limit) {
        return onRepo(issuer, repo, scopes, "git:read", (r, who) -> notes.refs(r, prefix, cursor, limit));
    }

    /** The body read with the application's mapper (unknown fields, wrong types, bad JSON: 400); absent → null. */
    private <T> T read(String body, Class<T> type) throws JsonProcessingException {
        return body == null || body.isBlank() ? null : json.readValue(body, type);
    }

    private <T> Uni<T> onRepo(String issuer, String repo, String scopes, String scope, BiFunction<Repo, StorageIdentity, T> work) {
        StorageIdentity who = StorageIdentity.of(caller.get(), issuer, repo, scopes);
        who.require(scope);
        return repos.resolve(who).chain(r -> Workers.run(() -> work.apply(r, who)));
    }
}
