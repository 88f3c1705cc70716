package dev.shoal.gateway.sshkey.rest;

import dev.shoal.platform.error.ValidationException;

/** The one check every key resource makes on its body before the service sees it. */
final class SshKeyBodies {

    private SshKeyBodies() {
    }

    static AddSshKeyRequest require(AddSshKeyRequest request) {
        if (request == null) {
            throw new ValidationException("a JSON body with title and key is required, e.g. "
                    + "{\"title\": \"laptop\", \"key\": \"ssh-ed25519 AAAA… you@host\"}");
        }
        return request;
    }
}
