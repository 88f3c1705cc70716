package dev.shoal.repo.compat.storage.rest;

import dev.shoal.platform.identity.CurrentCaller;
import dev.shoal.repo.git.Workers;
import dev.shoal.repo.repo.Repo;
import dev.shoal.repo.compat.storage.CommitAck;
import dev.shoal.repo.compat.storage.StorageIdentity;
import dev.shoal.repo.compat.storage.StorageViews;
import dev.shoal.repo.compat.storage.service.CommitPackService;
import dev.shoal.repo.compat.storage.service.DiffCommitService;
import dev.shoal.repo.compat.storage.service.StorageDiffs;
import dev.shoal.repo.compat.storage.service.StorageReads;
import dev.shoal.repo.compat.storage.service.StorageFileMetadata;
import dev.shoal.repo.compat.storage.service.StorageFiles;
import dev.shoal.repo.compat.storage.service.StorageForks;
import dev.shoal.repo.compat.storage.service.StorageBlame;
import dev.shoal.repo.compat.storage.service.StorageGrep;
import dev.shoal.repo.compat.storage.service.StorageRefs;
import dev.shoal.repo.compat.storage.service.StorageRepos;
import dev.shoal.repo.compat.storage.service.StorageUpstream;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
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
    private final StorageDiffs diffs;
    private final CommitPackService commitPack;
    private final DiffCommitService diffCommit;
    private final CurrentCaller caller;
    private final StorageUpstream upstream;
    private final StorageRefs refs;
    private final StorageFileMetadata metadata;
    private final StorageBlame blame;
    private final StorageGrep grep;
    private final StorageFiles files;
    private final StorageCalls calls;
    private final StorageForks forks;

    public StorageResource(StorageRepos repos, StorageReads reads, StorageDiffs diffs, CommitPackService commitPack, DiffCommitService diffCommit,
                           CurrentCaller caller, StorageUpstream upstream,
                           StorageRefs refs, StorageFileMetadata metadata,
                           StorageBlame blame, StorageGrep grep, StorageFiles files, StorageCalls calls, StorageForks forks) {
        this.files = files;
        this.calls = calls;
        this.forks = forks;
        this.grep = grep;
        this.blame = blame;
        this.metadata = metadata;
        this.refs = refs;
        this.upstream = upstream;
        this.repos = repos;
        this.reads = reads;
        this.diffs = diffs;
        this.commitPack = commitPack;
        this.diffCommit = diffCommit;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(@BeanParam StorageHeaders headers,
                                StorageViews.CreateRepoRequest request) {
        StorageIdentity who = headers.identity(caller.get());
        who.require("repo:write");
        StorageViews.BaseRepoRequest base = request == null ? null : request.baseRepo();
        if (StorageForks.isFork(base)) {
            return forks.create(who, request.defaultBranch(), base)
                    .map(created -> Response.status(201).entity(new StorageViews.Created(who.repo(), created.createdAt())).build());
        }
        return repos.create(who, request == null ? null : request.defaultBranch(), base)
                .call(created -> base == null ? Uni.createFrom().voidItem()
                        // the first sync starts at once, as pull-upstream would: the repository fills in the background
                        : repos.named(who).invoke(named -> upstream.start(named.repo(), named.entry(), null, null)).replaceWithVoid())
                .map(created -> Response.status(201).entity(new StorageViews.Created(who.repo(), created.createdAt())).build());
    }

    /** SDK {@code listRepos}: an organization-wide token ({@code repo: "org"}, {@code org:read}) lists the issuer's repositories. */
    @GET
    public Uni<StorageViews.Repos> list(@BeanParam StorageHeaders headers,
                                        @QueryParam("cursor") String cursor, @QueryParam("limit") String limit,
                                        @QueryParam("q") String q) {
        StorageIdentity who = headers.identity(caller.get());
        who.require("org:read");
        return repos.list(who, cursor, limit, q);
    }

    /** Seed: 202 at once, the fetch runs on the worker pool; 400 without an upstream. */
    @POST
    @Path("/pull-upstream")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> pullUpstream(@BeanParam StorageHeaders headers,
                                      String body) throws com.fasterxml.jackson.core.JsonProcessingException {
        StorageIdentity who = headers.identity(caller.get());
        who.requireOrForbid("git:write"); // the seed: 403 for a token without git:write (401 on the other routes)
        // the body is optional (the SDK sends {}, curl users often nothing): read it only when present
        StorageViews.PullUpstreamRequest request = calls.body(body, StorageViews.PullUpstreamRequest.class);
        String ref = request == null ? null : request.ref();
        String after = request == null ? null : request.after();
        return repos.named(who).map(named -> {
            StorageUpstream.validate(named.entry(), ref, after);
            upstream.start(named.repo(), named.entry(), ref, after);
            return Response.status(202).entity(new StorageViews.Message("Repository sync initiated successfully")).build();
        });
    }

    /** SDK {@code deleteRepo}: the repository, its git data and its storage id go; {@code repo.deleted} is emitted. */
    @jakarta.ws.rs.DELETE
    @Path("/delete")
    public Uni<StorageViews.Deleted> delete(@BeanParam StorageHeaders headers) {
        StorageIdentity who = headers.identity(caller.get());
        who.require("repo:write");
        return repos.delete(who).map(v -> new StorageViews.Deleted(who.repo(), "Repository deleted successfully"));
    }

    @GET
    @Path("/files")
    public Uni<StorageViews.Files> files(@BeanParam StorageHeaders headers,
                                         @QueryParam("ref") String ref, @QueryParam("ephemeral") String ephemeral) {
        return onRepo(headers, "git:read", r -> reads.files(r, ref, ephemeral));
    }

    @GET
    @Path("/files/metadata")
    public Uni<StorageViews.FilesMetadata> filesMetadata(@BeanParam StorageHeaders headers,
                                                         @QueryParam("ref") String ref, @QueryParam("ephemeral") String ephemeral,
                                                         @QueryParam("path") String path, @QueryParam("recursive") String recursive,
                                                         @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        return onRepo(headers, "git:read", r -> metadata.list(r, ref, ephemeral, path, recursive, cursor, limit));
    }

    @GET
    @Path("/blame")
    public Uni<StorageViews.Blame> blame(@BeanParam StorageHeaders headers,
                                         @QueryParam("path") String path, @QueryParam("ref") String ref,
                                         @QueryParam("ephemeral") String ephemeral, @QueryParam("range") java.util.List<String> ranges,
                                         @QueryParam("detect_moves") String detectMoves) {
        return onRepo(headers, "git:read", r -> blame.blame(r, path, ref, ephemeral, ranges, detectMoves));
    }

    @POST
    @Path("/grep")
    @Consumes(MediaType.WILDCARD)
    public Uni<StorageViews.GrepResult> grep(@BeanParam StorageHeaders headers,
                                             String body) throws com.fasterxml.jackson.core.JsonProcessingException {
        StorageViews.GrepRequest request = calls.body(body, StorageViews.GrepRequest.class);
        return onRepo(headers, "git:read", r -> grep.grep(r, request));
    }

    /** The SDK's getFileStream: the raw bytes, streamed, with validators and ranges ({@link FileAnswer}). */
    @GET
    @Path("/file")
    @Produces(MediaType.WILDCARD)
    public Uni<Response> file(@BeanParam StorageHeaders headers,
                              @QueryParam("path") String path, @QueryParam("ref") String ref,
                              @QueryParam("ephemeral") String ephemeral, @Context HttpHeaders request) {
        return onRepo(headers, "git:read", r -> FileAnswer.of(files.open(r, path, ref, ephemeral), request, true));
    }

    /** The SDK's headFile: what {@link #file} would answer, without the body. */
    @HEAD
    @Path("/file")
    @Produces(MediaType.WILDCARD)
    public Uni<Response> fileHead(@BeanParam StorageHeaders headers,
                                  @QueryParam("path") String path, @QueryParam("ref") String ref,
                                  @QueryParam("ephemeral") String ephemeral, @Context HttpHeaders request) {
        return onRepo(headers, "git:read", r -> FileAnswer.of(files.open(r, path, ref, ephemeral), request, false));
    }

    @GET
    @Path("/branches")
    public Uni<StorageViews.Branches> branches(@BeanParam StorageHeaders headers,
                                               @QueryParam("cursor") String cursor, @QueryParam("limit") String limit,
                                               @QueryParam("ephemeral") String ephemeral) {
        StorageIdentity who = headers.identity(caller.get());
        who.require("git:read");
        boolean eph = StorageReads.bool("ephemeral", ephemeral);
        return repos.resolve(who).chain(r -> repos.branchCreation(r.id(), StorageReads.branchPrefix(eph))
                .chain(created -> Workers.run(() -> reads.branches(r, created, cursor, limit, eph))));
    }

    @GET
    @Path("/branches/diff")
    public Uni<StorageViews.Diff> branchDiff(@BeanParam StorageHeaders headers,
                                             @QueryParam("branch") String branch, @QueryParam("base") String base,
                                             @QueryParam("ephemeral") String ephemeral,
                                             @QueryParam("ephemeral_base") String ephemeralBase) {
        return onRepo(headers, "git:read", r -> diffs.branchDiff(r, branch, base, ephemeral, ephemeralBase));
    }

    @GET
    @Path("/commits")
    public Uni<StorageViews.Commits> commits(@BeanParam StorageHeaders headers,
                                             @QueryParam("branch") String branch, @QueryParam("cursor") String cursor,
                                             @QueryParam("limit") String limit, @QueryParam("ephemeral") String ephemeral) {
        return onRepo(headers, "git:read", r -> reads.commits(r, branch, cursor, limit, ephemeral));
    }

    @GET
    @Path("/diff")
    public Uni<StorageViews.Diff> commitDiff(@BeanParam StorageHeaders headers,
                                             @QueryParam("sha") String sha, @QueryParam("baseSha") String baseSha) {
        return onRepo(headers, "git:read", r -> diffs.commitDiff(r, sha, baseSha));
    }

    @POST
    @Path("/branches/create")
    @Consumes(MediaType.WILDCARD)
    public Uni<StorageViews.BranchCreated> createBranch(@BeanParam StorageHeaders headers,
                                                        String body) throws com.fasterxml.jackson.core.JsonProcessingException {
        StorageViews.CreateBranchRequest request = calls.body(body, StorageViews.CreateBranchRequest.class);
        return onRepo(headers, "git:write", (r, who) -> refs.createBranch(r, who, request));
    }

    @jakarta.ws.rs.DELETE
    @Path("/branches")
    @Consumes(MediaType.WILDCARD)
    public Uni<StorageViews.BranchDeleted> deleteBranch(@BeanParam StorageHeaders headers,
                                                        String body) throws com.fasterxml.jackson.core.JsonProcessingException {
        StorageViews.DeleteBranchRequest request = calls.body(body, StorageViews.DeleteBranchRequest.class);
        return onRepo(headers, "git:write", (r, who) -> refs.deleteBranch(r, who, request));
    }

    @GET
    @Path("/tags")
    public Uni<StorageViews.Tags> tags(@BeanParam StorageHeaders headers,
                                       @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        return onRepo(headers, "git:read", r -> refs.tags(r, cursor, limit));
    }

    @POST
    @Path("/tags")
    @Consumes(MediaType.WILDCARD)
    public Uni<StorageViews.TagCreated> createTag(@BeanParam StorageHeaders headers,
                                                  String body) throws com.fasterxml.jackson.core.JsonProcessingException {
        StorageViews.CreateTagRequest request = calls.body(body, StorageViews.CreateTagRequest.class);
        return onRepo(headers, "git:write", (r, who) -> refs.createTag(r, who, request));
    }

    @jakarta.ws.rs.DELETE
    @Path("/tags")
    @Consumes(MediaType.WILDCARD)
    public Uni<StorageViews.TagDeleted> deleteTag(@BeanParam StorageHeaders headers,
                                                  String body) throws com.fasterxml.jackson.core.JsonProcessingException {
        StorageViews.DeleteTagRequest request = calls.body(body, StorageViews.DeleteTagRequest.class);
        return onRepo(headers, "git:write", (r, who) -> refs.deleteTag(r, who, request));
    }

    @GET
    @Path("/commit")
    public Uni<StorageViews.SingleCommit> commit(@BeanParam StorageHeaders headers,
                                                 @QueryParam("sha") String sha) {
        return onRepo(headers, "git:read", r -> refs.commit(r, sha));
    }

    /** An optional JSON body read with the application's mapper (unknown fields and wrong types: 400). */

    /** Blocking: the body is read as it arrives, on a worker thread. */
    @POST
    @Path("/commit-pack")
    @Blocking
    @Consumes(MediaType.WILDCARD)
    public Response commitPack(@BeanParam StorageHeaders headers,
                               InputStream body) {
        StorageIdentity who = headers.identity(caller.get());
        who.require("git:write");
        Repo target = repos.resolve(who).await().atMost(DB_TIMEOUT);
        return ack(commitPack.commitPack(target, who, body));
    }

    @POST
    @Path("/diff-commit")
    @Blocking
    @Consumes(MediaType.WILDCARD)
    public Response diffCommit(@BeanParam StorageHeaders headers,
                               InputStream body) {
        StorageIdentity who = headers.identity(caller.get());
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

    private <T> Uni<T> onRepo(StorageHeaders headers, String scope, Function<Repo, T> work) {
        return onRepo(headers, scope, (r, who) -> work.apply(r));
    }

    private <T> Uni<T> onRepo(StorageHeaders headers, String scope,
                              java.util.function.BiFunction<Repo, StorageIdentity, T> work) {
        return calls.onRepo(headers, scope, work);
    }
}
