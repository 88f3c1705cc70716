package dev.shoal.gateway.sshkey.rest;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code POST …/keys}: a title and one OpenSSH public key line; {@code read_only} (deploy keys only,
 * default true) false lets the key push.
 */
public record AddSshKeyRequest(String title, String key, @JsonProperty("read_only") Boolean readOnly) {
}
