package dev.shoal.platform.error;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.shoal.platform.api.DataResponse;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.identity.CurrentCaller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** A resource that exists only in tests, to exercise the envelope and the mappers. */
@Path("/probe")
public class ProbeResource {

    private final CurrentCaller caller;

    public ProbeResource(CurrentCaller caller) {
        this.caller = caller;
    }

    @JsonIgnoreProperties(ignoreUnknown = false)
    public record CreateProbeRequest(@NotBlank @Size(max = 10) String name, Integer count, Boolean flag) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public DataResponse<CreateProbeRequest> create(@Valid CreateProbeRequest request) {
        if (request == null) {
            throw new ValidationException("a JSON body is required");
        }
        return DataResponse.of(request);
    }

    @GET
    @Path("/{id}")
    public DataResponse<Map<String, Object>> get(@PathParam("id") long id, @QueryParam("page") String page,
                                                 @QueryParam("per_page") String perPage) {
        if (id == 404) {
            throw new NotFoundException("probe not found");
        }
        if (id == 500) {
            throw new IllegalStateException("secret internal detail");
        }
        PageRequest pageRequest = PageRequest.of(page, perPage);
        return DataResponse.of(Map.of("id", id, "login", caller.get().login(), "per_page", pageRequest.perPage(),
                "created_at", java.time.Instant.parse("2025-01-15T10:00:00.123456Z")));
    }
}
