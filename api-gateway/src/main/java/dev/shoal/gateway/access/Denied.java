package dev.shoal.gateway.access;

import dev.shoal.gateway.route.Route;
import dev.shoal.platform.error.ApiException;

/** A refusal decided at the gateway, with the challenge header a client needs to retry properly. */
public class Denied extends ApiException {

    private static final String BEARER_CHALLENGE = "Bearer realm=\"Shoal\"";
    private static final String BASIC_CHALLENGE = "Basic realm=\"Shoal\"";

    private final String challenge;

    public Denied(int status, String code, String message, String challenge) {
        super(status, code, message);
        this.challenge = challenge;
    }

    public String challenge() {
        return challenge;
    }

    /** The {@code WWW-Authenticate} challenge the clients of {@code route} understand: Basic for git, so they prompt for a token. */
    public static String challenge(Route route) {
        return route.isGit() ? BASIC_CHALLENGE : BEARER_CHALLENGE;
    }

    /** 401 on {@code route}, with its challenge. */
    public static Denied unauthorized(Route route, String message) {
        return new Denied(401, "unauthorized", message, challenge(route));
    }

    public static Denied forbidden(String message) {
        return new Denied(403, "forbidden", message, null);
    }

    static Denied notFound(String message) {
        return new Denied(404, "not_found", message, null);
    }
}
