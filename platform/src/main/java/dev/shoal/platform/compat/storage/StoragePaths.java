package dev.shoal.platform.compat.storage;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Code Storage git paths ({@code /storage/{id}.git/...}): the gateway, which compares the id with the
 * token's {@code repo} claim, and repo-service, which serves it, read the id the same way.
 */
public final class StoragePaths {

    private StoragePaths() {
    }

    /**
     * The repository id a git path names, as received ({@code /} included): percent-escapes decoded as
     * UTF-8 and {@code +} kept as it is (a path is not a form), so the SDK's {@code getRemoteURL()}
     * ({@code team/a+b.git}) and {@code findOne}'s {@code url} ({@code team/a%2Bb.git}) name one id.
     * Malformed escapes are refused before this (the gateway's canonical-path check).
     */
    public static String decodeId(String raw) {
        return raw.indexOf('%') < 0 ? raw : URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
