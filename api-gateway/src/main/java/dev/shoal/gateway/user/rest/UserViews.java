package dev.shoal.gateway.user.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Size;

/** Request bodies of the admin user endpoints. */
public final class UserViews {

    private UserViews() {
    }

    public record CreateUserRequest(String username,
                                    @Email(message = "must be an email address such as ada@example.com") @Size(max = 254) String email,
                                    @JsonProperty("display_name") @Size(max = 255) String displayName,
                                    @JsonProperty("is_admin") Boolean isAdmin) {
    }

    public record UpdateUserRequest(@Email(message = "must be an email address such as ada@example.com") @Size(max = 254) String email,
                                    @JsonProperty("display_name") @Size(max = 255) String displayName,
                                    @JsonProperty("is_admin") Boolean isAdmin,
                                    @JsonProperty("is_active") Boolean isActive) {
    }
}
