package dev.shoal.gateway.route;

import dev.shoal.platform.identity.Scope;

/**
 * One line of the route table.
 *
 * @param scope     the scope a token-bearing caller needs; null for routes without one
 * @param bodyLimit the largest request body in bytes; negative means streamed without limit
 */
public record Route(String method, PathPattern pattern, String service, AuthKind auth, Scope scope, Access access,
                    long bodyLimit) {

    public boolean streamsBody() {
        return bodyLimit < 0;
    }

    /** A page of the web interface (service web-ui). */
    public boolean isWeb() {
        return service.equals("web");
    }

    public boolean isGit() {
        return pattern.text().contains(".git/");
    }

    @Override
    public String toString() {
        return method + " " + pattern.text();
    }
}
