package dev.shoal.gateway.audit.rest;

import dev.shoal.gateway.audit.AuditEntry;
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

    public AuditResource(AuditLog audit) {
        this.audit = audit;
    }

    @GET
    public Uni<PageResponse<AuditEntry>> list(@QueryParam("page") String page, @QueryParam("per_page") String perPage) {
        return audit.list(PageRequest.of(page, perPage));
    }
}
