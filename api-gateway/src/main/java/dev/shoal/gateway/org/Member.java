package dev.shoal.gateway.org;

import dev.shoal.gateway.user.User;

/** {@code {"user": {...}, "role": "owner"}} as in {@code GET /api/v1/orgs/:org/members}. */
public record Member(User user, String role) {
}
