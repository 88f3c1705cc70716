package dev.shoal.gateway.access;

import dev.shoal.platform.error.ApiException;

/** A refusal decided at the gateway, with the challenge header a client needs to retry properly. */
public class Denied extends ApiException {

    private final String challenge;

    public Denied(int status, String code, String message, String challenge) {
        super(status, code, message);
        this.challenge = challenge;
    }

    public String challenge() {
        return challenge;
    }

    static Denied notFound(String message) {
        return new Denied(404, "not_found", message, null);
    }

    static Denied forbidden(String message) {
        return new Denied(403, "forbidden", message, null);
    }
}
