package dev.shoal.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The secret a request presents: {@code Authorization: Bearer <t>}, {@code token <t>} (Pagure) or
 * HTTP Basic with the token as password (git clients; the user name is ignored).
 */
public final class Credentials {

    private Credentials() {
    }

    /** The presented secret, "" when the header is malformed, or null when there is none. */
    public static String from(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return null;
        }
        int space = authorization.indexOf(' ');
        if (space < 0) {
            return "";
        }
        String scheme = authorization.substring(0, space);
        String value = authorization.substring(space + 1).trim();
        if (scheme.equalsIgnoreCase("Bearer") || scheme.equalsIgnoreCase("token")) {
            return value;
        }
        if (scheme.equalsIgnoreCase("Basic")) {
            try {
                String decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon < 0 ? "" : decoded.substring(colon + 1);
            } catch (IllegalArgumentException e) {
                return "";
            }
        }
        return "";
    }
}
