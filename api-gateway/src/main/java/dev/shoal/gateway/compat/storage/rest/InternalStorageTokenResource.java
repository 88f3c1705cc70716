package dev.shoal.gateway.compat.storage.rest;

import dev.shoal.gateway.compat.storage.service.StorageTokenVerifier;
import dev.shoal.platform.api.DataResponse;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.identity.InternalClaims;
import dev.shoal.platform.identity.InternalTokenVerifier;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Verifies a Code Storage JWT on behalf of another service: repo-service, creating a fork, checks
 * the base repository's token that the SDK sends in {@code base_repo.auth.token}. The issuers' keys
 * live here, so the check is the same {@link StorageTokenVerifier} the gateway runs on every
 * storage request (signature, registered issuer, algorithm, expiry, repo and scopes present,
 * well-formed ref policies). Never in routes.table; only repo-service's service token gets an
 * answer, anyone else a 404 as for every unknown route.
 *
 * <p>{@code POST /internal/storage-tokens/verify {"token"}} → {@code {"data": {"issuer", "repo",
 * "scopes"}}}, or 401 naming why the token is refused.
 */
@Path("/internal/storage-tokens")
@Produces(MediaType.APPLICATION_JSON)
public class InternalStorageTokenResource {

    private final StorageTokenVerifier storageTokens;
    private final InternalTokenVerifier internalTokens;

    public InternalStorageTokenResource(StorageTokenVerifier storageTokens, InternalTokenVerifier internalTokens) {
        this.storageTokens = storageTokens;
        this.internalTokens = internalTokens;
    }

    public record VerifyRequest(String token) {
    }

    @POST
    @Path("/verify")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<DataResponse<Map<String, Object>>> verify(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                                         VerifyRequest request) {
        requireService(authorization);
        if (request == null || request.token() == null || request.token().isBlank()) {
            throw new ValidationException("token is required: the Code Storage JWT to verify");
        }
        return storageTokens.verify(request.token().trim(), null).map(claims -> {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("issuer", claims.issuer());
            data.put("repo", claims.repo());
            data.put("scopes", List.copyOf(new TreeSet<>(claims.scopes())));
            return DataResponse.of(data);
        });
    }

    /** The router already required repo-service's token; checked again here (a cache hit), in case a route changes. */
    private void requireService(String authorization) {
        try {
            InternalTokenVerifier.Token token = internalTokens.verify(
                    authorization == null ? "" : authorization.replaceFirst("(?i)^Bearer\\s+", "").trim());
            if (InternalClaims.KIND_SERVICE.equals(token.kind()) && "repo-service".equals(token.issuer())) {
                return;
            }
        } catch (InternalTokenVerifier.Refused e) {
            // answered as below
        }
        throw new NotFoundException("no such route: POST /internal/storage-tokens/verify");
    }
}
