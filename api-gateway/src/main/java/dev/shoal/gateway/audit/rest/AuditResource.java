package dev.shoal.gateway.audit.rest;

import dev.shoal.gateway.access.Require;
import dev.shoal.gateway.audit.AuditEntry;
import dev.shoal.platform.identity.CurrentCaller;
import dev.shoal.gateway.audit.service.AuditLog;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.api.PageResponse;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

@Path("/api/v1/admin/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    private final AuditLog audit;
    private final CurrentCaller caller;

    public AuditResource(AuditLog audit, CurrentCaller caller) {
        this.audit = audit;
        this.caller = caller;
    }

    @GET
    public Uni<PageResponse<AuditEntry>> list(@QueryParam("page") String page, @QueryParam("per_page") String perPage) {
        Require.siteAdmin(caller.get());
        return audit.list(PageRequest.of(page, perPage));
    }
}
