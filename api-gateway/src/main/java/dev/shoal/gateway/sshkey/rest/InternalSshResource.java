package dev.shoal.gateway.sshkey.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.gateway.access.Require;
import dev.shoal.gateway.sshkey.service.SshAccess;
import dev.shoal.platform.api.DataResponse;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.identity.CurrentCaller;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The SSH server's questions (repo-service only, ADR 0006 and 0010): who holds a key, and may that
 * key read or write a repository.
 */
@Path("/internal/ssh")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class InternalSshResource {

    private final SshAccess access;
    private final CurrentCaller caller;

    public InternalSshResource(SshAccess access, CurrentCaller caller) {
        this.access = access;
        this.caller = caller;
    }

    /** {@code {"fingerprint": "SHA256:…"}}. */
    public record KeyQuestion(String fingerprint) {
    }

    /** {@code {"fingerprint", "org", "repo", "action": "read" | "write"}}. */
    public record AccessQuestion(String fingerprint, String org, String repo, String action) {
    }

    public record AccessAnswer(String token, @JsonProperty("repo_id") long repoId, String login) {
    }

    @POST
    @Path("/keys/verify")
    public Uni<DataResponse<SshAccess.KeyHolder>> verify(KeyQuestion question) {
        Require.service(caller.get(), "POST /internal/ssh/keys/verify");
        if (question == null) {
            throw new ValidationException("a JSON body with fingerprint is required");
        }
        return access.holder(question.fingerprint()).map(DataResponse::of);
    }

    @POST
    @Path("/access")
    public Uni<DataResponse<AccessAnswer>> access(AccessQuestion question) {
        Require.service(caller.get(), "POST /internal/ssh/access");
        if (question == null || question.action() == null || !(question.action().equals("read") || question.action().equals("write"))) {
            throw new ValidationException("a JSON body with fingerprint, org, repo and action ('read' or 'write') is required");
        }
        return access.authorize(question.fingerprint(), question.org(), question.repo(), question.action().equals("write"))
                .map(grant -> DataResponse.of(new AccessAnswer(grant.token(), grant.repoId(), grant.login())));
    }
}
