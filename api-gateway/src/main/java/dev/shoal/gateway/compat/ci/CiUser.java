package dev.shoal.gateway.compat.ci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.gateway.user.User;
import java.time.Instant;

/**
 * A user as Drone and Woodpecker clients read it: the union of both field sets. Drone: {@code login,
 * email, avatar, machine, admin, active, syncing, synced, created, updated, last_login} (unix seconds,
 * 0 = never); Woodpecker: {@code avatar_url, forge_id, org_id, forge_remote_id}. Shoal is the only
 * forge (id 1); {@code org_id} 0 means the user has no personal organization. {@code token} appears
 * only in the answer that issues one.
 */
public record CiUser(long id, String login, String email, String avatar, @JsonProperty("avatar_url") String avatarUrl,
                     boolean machine, boolean admin, boolean active, boolean syncing, long synced, long created,
                     long updated, @JsonProperty("last_login") long lastLogin, @JsonProperty("forge_id") long forgeId,
                     @JsonProperty("org_id") long orgId, @JsonProperty("forge_remote_id") String forgeRemoteId,
                     @JsonInclude(JsonInclude.Include.NON_NULL) String token) {

    /** Shoal's own forge in Woodpecker's forge list. */
    public static final long FORGE_ID = 1;

    public static CiUser of(User user, Instant updatedAt, Instant lastLogin, String token) {
        String avatar = user.avatarUrl() == null ? "" : user.avatarUrl();
        long created = unix(user.createdAt());
        return new CiUser(user.id(), user.username(), user.email(), avatar, avatar, false, user.isAdmin(), user.active(),
                false, created, created, Math.max(created, unix(updatedAt)), unix(lastLogin), FORGE_ID, 0,
                String.valueOf(user.id()), token);
    }

    public static long unix(Instant time) {
        return time == null ? 0 : time.getEpochSecond();
    }
}
