package dev.shoal.gateway.compat.ci;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Size;

/**
 * Bodies of {@code POST /api/users} and {@code PATCH /api/users/{login}} as Drone and Woodpecker
 * send them. Fields Shoal cannot honour are accepted only with their neutral value, so a client
 * that sends its whole user object back is not refused for echoing what it read.
 */
public final class CiRequests {

    private CiRequests() {
    }

    public record CiUserRequest(Long id, String login,
                                @Email(message = "must be an email address such as ada@example.com") @Size(max = 254) String email,
                                String avatar, @JsonProperty("avatar_url") String avatarUrl, Boolean machine, Boolean admin,
                                Boolean active, Boolean syncing, Long synced, Long created, Long updated,
                                @JsonProperty("last_login") Long lastLogin, @JsonProperty("forge_id") Long forgeId,
                                @JsonProperty("org_id") Long orgId, @JsonProperty("forge_remote_id") String forgeRemoteId,
                                String token) {
    }
}
