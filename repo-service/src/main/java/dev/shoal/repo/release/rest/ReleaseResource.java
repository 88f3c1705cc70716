package dev.shoal.repo.release.rest;

import dev.shoal.platform.api.DataResponse;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.api.PageResponse;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.identity.CurrentCaller;
import dev.shoal.repo.release.CreateReleaseRequest;
import dev.shoal.repo.release.Release;
import dev.shoal.repo.release.UpdateReleaseRequest;
import dev.shoal.repo.release.service.ReleaseService;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.multipart.FileUpload;

@Path("/api/v1/repos/{org}/{repo}/releases")
@Produces(MediaType.APPLICATION_JSON)
public class ReleaseResource {

    private final ReleaseService releases;
    private final CurrentCaller caller;

    public ReleaseResource(ReleaseService releases, CurrentCaller caller) {
        this.releases = releases;
        this.caller = caller;
    }

    @GET
    public Uni<PageResponse<Release>> list(@PathParam("org") String org, @PathParam("repo") String repo,
                                           @QueryParam("page") String page, @QueryParam("per_page") String perPage) {
        return releases.list(caller.get(), org, repo, PageRequest.of(page, perPage));
    }

    @GET
    @Path("/{id}")
    public Uni<DataResponse<Release>> get(@PathParam("org") String org, @PathParam("repo") String repo,
                                          @PathParam("id") long id) {
        return releases.get(caller.get(), org, repo, id).map(DataResponse::of);
    }

    @GET
    @Path("/tags/{tag}")
    public Uni<DataResponse<Release>> byTag(@PathParam("org") String org, @PathParam("repo") String repo,
                                            @PathParam("tag") String tag) {
        return releases.byTag(caller.get(), org, repo, tag).map(DataResponse::of);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<DataResponse<Release>>> create(@PathParam("org") String org, @PathParam("repo") String repo,
                                                          @Valid @NotNull(message = "a JSON body is required") CreateReleaseRequest request) {
        return releases.create(caller.get(), org, repo, request)
                .map(release -> RestResponse.status(Response.Status.CREATED, DataResponse.of(release)));
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<DataResponse<Release>> update(@PathParam("org") String org, @PathParam("repo") String repo,
                                             @PathParam("id") long id,
                                             @Valid @NotNull(message = "a JSON body is required") UpdateReleaseRequest request) {
        return releases.update(caller.get(), org, repo, id, request).map(DataResponse::of);
    }

    @DELETE
    @Path("/{id}")
    public Uni<RestResponse<Void>> delete(@PathParam("org") String org, @PathParam("repo") String repo,
                                          @PathParam("id") long id) {
        return releases.delete(caller.get(), org, repo, id).map(v -> RestResponse.noContent());
    }

    @GET
    @Path("/{id}/assets")
    public Uni<DataResponse<List<Release.Asset>>> assets(@PathParam("org") String org, @PathParam("repo") String repo,
                                                         @PathParam("id") long id) {
        return releases.assets(caller.get(), org, repo, id).map(DataResponse::of);
    }

    @POST
    @Path("/{id}/assets")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Uni<RestResponse<DataResponse<Release.Asset>>> upload(@PathParam("org") String org, @PathParam("repo") String repo,
                                                                @PathParam("id") long id,
                                                                @RestForm("attachment") FileUpload attachment) {
        if (attachment == null || attachment.uploadedFile() == null) {
            throw new ValidationException("attachment is required: send the file as multipart/form-data field 'attachment'");
        }
        return releases.upload(caller.get(), org, repo, id, attachment.uploadedFile(), attachment.fileName(),
                        attachment.contentType(), attachment.size())
                .map(asset -> RestResponse.status(Response.Status.CREATED, DataResponse.of(asset)));
    }

    @GET
    @Path("/{id}/assets/{asset_id}")
    @Produces({MediaType.APPLICATION_OCTET_STREAM, MediaType.APPLICATION_JSON})
    public Uni<Response> download(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("id") long id,
                                  @PathParam("asset_id") long assetId) {
        return releases.download(caller.get(), org, repo, id, assetId).map(file -> Response.ok(file.path().toFile())
                .type(file.contentType())
                .header("Content-Disposition", "attachment; filename=\"" + file.name().replaceAll("[^\\x20-\\x7e]", "_")
                        + "\"; filename*=UTF-8''" + URLEncoder.encode(file.name(), StandardCharsets.UTF_8).replace("+", "%20"))
                .build());
    }

    @DELETE
    @Path("/{id}/assets/{asset_id}")
    public Uni<RestResponse<Void>> deleteAsset(@PathParam("org") String org, @PathParam("repo") String repo,
                                               @PathParam("id") long id, @PathParam("asset_id") long assetId) {
        return releases.deleteAsset(caller.get(), org, repo, id, assetId).map(v -> RestResponse.noContent());
    }
}
