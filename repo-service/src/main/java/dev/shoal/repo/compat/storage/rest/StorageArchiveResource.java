package dev.shoal.repo.compat.storage.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.shoal.platform.identity.CurrentCaller;
import dev.shoal.repo.repo.Repo;
import dev.shoal.repo.compat.storage.StorageIdentity;
import dev.shoal.repo.compat.storage.service.StorageArchive;
import dev.shoal.repo.compat.storage.service.StorageRepos;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.time.Duration;

/**
 * SDK {@code getArchiveStream}: {@code POST /repos/archive} with an optional JSON body (the SDK
 * sends none when no option is set) answers a streamed {@code application/gzip} tarball.
 * Blocking, so that the tar is written from the object store on a worker thread, never the event loop.
 */
@Path("/storage/api/v1/repos/archive")
public class StorageArchiveResource {

    private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);

    private final StorageRepos repos;
    private final StorageArchive archives;
    private final CurrentCaller caller;
    private final StorageCalls calls;

    public StorageArchiveResource(StorageRepos repos, StorageArchive archives, CurrentCaller caller, StorageCalls calls) {
        this.repos = repos;
        this.archives = archives;
        this.caller = caller;
        this.calls = calls;
    }

    @POST
    @Blocking
    @Consumes(MediaType.WILDCARD)
    @Produces({"application/gzip", MediaType.APPLICATION_JSON})
    public Response archive(@BeanParam StorageHeaders headers,
                            String body) throws JsonProcessingException {
        StorageIdentity who = headers.identity(caller.get());
        who.require("git:read");
        StorageArchive.Request request = calls.body(body, StorageArchive.Request.class);
        Repo target = repos.resolve(who).await().atMost(DB_TIMEOUT);
        // everything that can be refused is checked here, before the first byte of the archive
        StorageArchive.Archive archive = archives.prepare(target, who.repo(), request);
        StreamingOutput stream = archive::writeTo;
        return Response.ok(stream, "application/gzip")
                .header("Content-Disposition", "attachment; filename=\"" + archive.fileName() + "\"")
                .header("Cache-Control", "no-store")
                .header("X-Archive-Commit", archive.commit())
                .build();
    }
}
