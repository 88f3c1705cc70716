package dev.shoal.gateway.token.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.OffsetDateTime;
import java.util.List;

/** {@code POST /api/v1/user/tokens}: name, scopes from read/write/admin, optional RFC 3339 expiry. */
public record CreateTokenRequest(String name, List<String> scopes, @JsonProperty("expires_at") OffsetDateTime expiresAt) {
}
