package dev.shoal.repo.storage.rest;

import dev.shoal.platform.identity.CurrentCaller;
import dev.shoal.repo.content.rest.RawBlobs;
import dev.shoal.repo.content.service.ContentService;
import dev.shoal.repo.git.Workers;
import dev.shoal.repo.repo.Repo;
import dev.shoal.repo.storage.CommitAck;
import dev.shoal.repo.storage.StorageIdentity;
import dev.shoal.repo.storage.StorageViews;
import dev.shoal.repo.storage.service.CommitPackService;
import dev.shoal.repo.storage.service.DiffCommitService;
import dev.shoal.repo.storage.service.StorageReads;
import dev.shoal.repo.storage.service.StorageRepos;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.time.Duration;
import java.util.function.Function;

/**
 * The Code Storage API (Pierre's {@code /api/v1/repos/...}) under {@code /storage}. The repository
 * is the one the caller's JWT names (gateway-verified), never a path segment, so ids may contain '/'.
 */
@Path("/storage/api/v1/repos")
@Produces(MediaType.APPLICATION_JSON)
public class StorageResource {

    private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);

    private final StorageRepos repos;
    private final StorageReads reads;
    private final CommitPackService commitPack;
    private final DiffCommitService diffCommit;
    private final ContentService content;
    private final CurrentCaller caller;

    public StorageResource(StorageRepos repos, StorageReads reads, CommitPackService commitPack, DiffCommitService diffCommit,
                           ContentService content, CurrentCaller caller) {
        this.repos = repos;
        this.reads = reads;
        this.commitPack = commitPack;
        this.diffCommit = diffCommit;
        this.content = content;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(@HeaderParam(StorageIdentity.ISSUER_HEADER) String issuer,
                                @HeaderParam(StorageIdentity.REPO_HEADER) String repo,
                                @HeaderParam(StorageIdentity.SCOPES_HEADER) String scopes,
                                StorageViews.CreateRepoRequest request) {
        StorageIdentity who = StorageIdentity.of(caller.get(), issuer, repo, scopes);
        who.require("repo:write");
        if (request != null && request.baseRepo() != null) {
            throw new dev.shoal.platform.error.ValidationException(
                    "base_repo (GitHub sync) is not supported by this server; create the repository without it");
        }
        return repos.create(who, request == null ? null : request.defaultBranch())
                .map(created -> Response.status(201).entity(new StorageViews.Created(who.repo(), created.createdAt())).build());
    }

    @GET
    @Path("/files")
    public Uni<StorageViews.Files> files(@HeaderParam(StorageIdentity.ISSUER_HEADER) String issuer,
                                         @HeaderParam(StorageIdentity.REPO_HEADER) String repo,
                                         @HeaderParam(StorageIdentity.SCOPES_HEADER) String scopes,
                                         @QueryParam("ref") String ref, @QueryParam("ephemeral") String ephemeral) {
        return onRepo(issuer, repo, scopes, "git:read", r -> reads.files(r, ref, ephemeral));
    }

    @GET
    @Path("/file")
    @Produces(MediaType.WILDCARD)
    public Uni<Response> file(@HeaderParam(StorageIdentity.ISSUER_HEADER) String issuer,
                              @HeaderParam(StorageIdentity.REPO_HEADER) String repo,
                              @HeaderParam(StorageIdentity.SCOPES_HEADER) String scopes,
                              @QueryParam("path") String path, @QueryParam("ref") String ref) {
        if (path == null || path.isEmpty()) {
            throw new dev.shoal.platform.error.ValidationException("path is required: the file to read, e.g. README.md");
        }
        return onRepo(issuer, repo, scopes, "git:read",
                r -> RawBlobs.stream(content.open(r, ref == null || ref.isEmpty() ? "tip" : ref, path), path));
    }

    @GET
    @Path("/branches")
    public Uni<StorageViews.Branches> branches(@HeaderParam(StorageIdentity.ISSUER_HEADER) String issuer,
                                               @HeaderParam(StorageIdentity.REPO_HEADER) String repo,
                                               @HeaderParam(StorageIdentity.SCOPES_HEADER) String scopes,
                                               @QueryParam("cursor") String cursor, @QueryParam("limit") String limit,
                                               @QueryParam("ephemeral") String ephemeral) {
        StorageIdentity who = StorageIdentity.of(caller.get(), issuer, repo, scopes);
        who.require("git:read");
        boolean eph = StorageReads.bool("ephemeral", ephemeral);
        return repos.resolve(who).chain(r -> repos.branchCreation(r.id(), StorageReads.branchPrefix(eph))
                .chain(created -> Workers.run(() -> reads.branches(r, created, cursor, limit, eph))));
    }

    @GET
    @Path("/branches/diff")
    public Uni<StorageViews.Diff> branchDiff(@HeaderParam(StorageIdentity.ISSUER_HEADER) String issuer,
                                             @HeaderParam(StorageIdentity.REPO_HEADER) String repo,
                                             @HeaderParam(StorageIdentity.SCOPES_HEADER) String scopes,
                                             @QueryParam("branch") String branch, @QueryParam("base") String base,
                                             @QueryParam("ephemeral") String ephemeral,
                                             @QueryParam("ephemeral_base") String ephemeralBase) {
        return onRepo(issuer, repo, scopes, "git:read", r -> reads.branchDiff(r, branch, base, ephemeral, ephemeralBase));
    }

    @GET
    @Path("/commits")
    public Uni<StorageViews.Commits> commits(@HeaderParam(StorageIdentity.ISSUER_HEADER) String issuer,
                                             @HeaderParam(StorageIdentity.REPO_HEADER) String repo,
                                             @HeaderParam(StorageIdentity.SCOPES_HEADER) String scopes,
                                             @QueryParam("branch") String branch, @QueryParam("cursor") String cursor,
                                             @QueryParam("limit") String limit, @QueryParam("ephemeral") String ephemeral) {
        return onRepo(issuer, repo, scopes, "git:read", r -> reads.commits(r, branch, cursor, limit, ephemeral));
    }

    @GET
    @Path("/diff")
    public Uni<StorageViews.Diff> commitDiff(@HeaderParam(StorageIdentity.ISSUER_HEADER) String issuer,
                                             @HeaderParam(StorageIdentity.REPO_HEADER) String repo,
                                             @HeaderParam(StorageIdentity.SCOPES_HEADER) String scopes,
                                             @QueryParam("sha") String sha, @QueryParam("baseSha") String baseSha) {
        return onRepo(issuer, repo, scopes, "git:read", r -> reads.commitDiff(r, sha, baseSha));
    }

    /** Blocking: the body is read as it arrives, on a worker thread. */
    @POST
    @Path("/commit-pack")
    @Blocking
    @Consumes(MediaType.WILDCARD)
    public Response commitPack(@HeaderParam(StorageIdentity.ISSUER_HEADER) String issuer,
                               @HeaderParam(StorageIdentity.REPO_HEADER) String repo,
                               @HeaderParam(StorageIdentity.SCOPES_HEADER) String scopes,
                               InputStream body) {
        StorageIdentity who = StorageIdentity.of(caller.get(), issuer, repo, scopes);
        who.require("git:write");
        Repo target = repos.resolve(who).await().atMost(DB_TIMEOUT);
        return ack(commitPack.commitPack(target, who, body));
    }

    @POST
    @Path("/diff-commit")
    @Blocking
    @Consumes(MediaType.WILDCARD)
    public Response diffCommit(@HeaderParam(StorageIdentity.ISSUER_HEADER) String issuer,
                               @HeaderParam(StorageIdentity.REPO_HEADER) String repo,
                               @HeaderParam(StorageIdentity.SCOPES_HEADER) String scopes,
                               InputStream body) {
        StorageIdentity who = StorageIdentity.of(caller.get(), issuer, repo, scopes);
        who.require("git:write");
        Repo target = repos.resolve(who).await().atMost(DB_TIMEOUT);
        return ack(diffCommit.diffCommit(target, who, body));
    }

    private static Response ack(CommitAck ack) {
        if (ack.result().success()) {
            return Response.status(201).entity(ack).build();
        }
        return Response.status("empty".equals(ack.result().status()) ? 400 : 409).entity(ack).build();
    }

    private <T> Uni<T> onRepo(String issuer, String repo, String scopes, String scope, Function<Repo, T> work) {
        StorageIdentity who = StorageIdentity.of(caller.get(), issuer, repo, scopes);
        who.require(scope);
        return repos.resolve(who).chain(r -> Workers.run(() -> work.apply(r)));
    }
}
