package dev.shoal.web;

import io.quarkus.qute.TemplateData;
import java.util.Map;

/**
 * Who is looking at a page: the session (null when signed out), the user as the API describes them,
 * and the CSRF token every changing form of the page carries.
 */
@TemplateData
public record Visitor(Session session, Map<String, Object> user, String csrf) {

    public boolean signedIn() {
        return session != null;
    }

    public String token() {
        return session == null ? null : session.token();
    }

    public String username() {
        return user == null ? null : String.valueOf(user.get("username"));
    }

    public boolean admin() {
        return user != null && Boolean.TRUE.equals(user.get("is_admin"));
    }
}
