package dev.shoal.gateway.admin.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.shoal.gateway.user.User;

/** The site administrator's view of a user: the Isurus user object plus whether the account is active. */
public record AdminUser(@JsonUnwrapped User user, @JsonProperty("is_active") boolean isActive) {

    public static AdminUser of(User user) {
        return new AdminUser(user, user.active());
    }
}
