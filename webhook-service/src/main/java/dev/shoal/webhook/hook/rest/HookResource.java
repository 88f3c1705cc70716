package dev.shoal.webhook.hook.rest;

import dev.shoal.platform.api.DataResponse;
import dev.shoal.platform.error.ForbiddenException;
import dev.shoal.platform.identity.Caller;
import dev.shoal.platform.identity.CurrentCaller;
import dev.shoal.webhook.delivery.DeliveryDetail;
import dev.shoal.webhook.delivery.DeliverySummary;
import dev.shoal.webhook.delivery.service.DeliveryService;
import dev.shoal.webhook.hook.Hook;
import dev.shoal.webhook.hook.service.HookService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Isurus webhooks of one repository; the gateway admits org owners only (routes.table). */
@Path("/api/v1/repos/{org}/{repo}/webhooks")
@Produces(MediaType.APPLICATION_JSON)
public class HookResource {

    private final HookService hooks;
    private final DeliveryService deliveries;
    private final CurrentCaller currentCaller;

    public HookResource(HookService hooks, DeliveryService deliveries, CurrentCaller currentCaller) {
        this.hooks = hooks;
        this.deliveries = deliveries;
        this.currentCaller = currentCaller;
    }

    @GET
    public Uni<DataResponse<List<Hook>>> list(@PathParam("org") String org, @PathParam("repo") String repo) {
        return hooks.list(owner(), org, repo).map(DataResponse::of);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(@PathParam("org") String org, @PathParam("repo") String repo, CreateHookRequest request) {
        return hooks.create(owner(), org, repo, request)
                .map(hook -> Response.status(Response.Status.CREATED).entity(DataResponse.of(hook)).build());
    }

    @GET
    @Path("/{webhook_id}")
    public Uni<DataResponse<Hook>> get(@PathParam("org") String org, @PathParam("repo") String repo,
                                       @PathParam("webhook_id") String hookId) {
        return hooks.get(owner(), org, repo, hookId).map(DataResponse::of);
    }

    @PATCH
    @Path("/{webhook_id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<DataResponse<Hook>> update(@PathParam("org") String org, @PathParam("repo") String repo,
                                          @PathParam("webhook_id") String hookId, UpdateHookRequest request) {
        return hooks.update(owner(), org, repo, hookId, request).map(DataResponse::of);
    }

    @DELETE
    @Path("/{webhook_id}")
    public Uni<Response> delete(@PathParam("org") String org, @PathParam("repo") String repo,
                                @PathParam("webhook_id") String hookId) {
        return hooks.delete(owner(), org, repo, hookId).map(ignored -> Response.noContent().build());
    }

    @GET
    @Path("/{webhook_id}/deliveries")
    public Uni<DataResponse<List<DeliverySummary>>> deliveries(@PathParam("org") String org, @PathParam("repo") String repo,
                                                               @PathParam("webhook_id") String hookId) {
        return deliveries.recent(owner(), org, repo, hookId).map(DataResponse::of);
    }

    @GET
    @Path("/{webhook_id}/deliveries/{delivery_id}")
    public Uni<DataResponse<DeliveryDetail>> delivery(@PathParam("org") String org, @PathParam("repo") String repo,
                                                      @PathParam("webhook_id") String hookId,
                                                      @PathParam("delivery_id") String deliveryId) {
        return deliveries.get(owner(), org, repo, hookId, deliveryId).map(DataResponse::of);
    }

    @POST
    @Path("/{webhook_id}/deliveries/{delivery_id}/redeliver")
    public Uni<Response> redeliver(@PathParam("org") String org, @PathParam("repo") String repo,
                                   @PathParam("webhook_id") String hookId, @PathParam("delivery_id") String deliveryId) {
        return deliveries.redeliver(owner(), org, repo, hookId, deliveryId)
                .map(detail -> Response.accepted(DataResponse.of(detail)).build());
    }

    /** The gateway already admits owners only; this keeps a direct internal call from doing more. */
    private Caller owner() {
        Caller caller = currentCaller.get();
        caller.requireUserId();
        if (!caller.isOwner()) {
            throw new ForbiddenException("only organization owners may manage webhooks");
        }
        return caller;
    }
}
