package dev.shoal.repo.release.rest;

import dev.shoal.platform.error.ErrorBody;
import dev.shoal.repo.config.RepoConfig;
import dev.shoal.repo.release.service.ReleaseService;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Refuses an asset upload whose declared length is over the limit before a byte of it is written
 * to disk; uploads without a length are measured after streaming and refused then.
 */
@ApplicationScoped
public class AssetUploadLimit {

    private final RepoConfig config;

    public AssetUploadLimit(RepoConfig config) {
        this.config = config;
    }

    void register(@Observes Router router) {
        router.routeWithRegex(HttpMethod.POST, "^/api/v1/repos/[^/]+/[^/]+/releases/[^/]+/assets$")
                .order(Integer.MIN_VALUE)
                .handler(rc -> {
                    String length = rc.request().getHeader("Content-Length");
                    long declared = -1;
                    try {
                        declared = length == null ? -1 : Long.parseLong(length.trim());
                    } catch (NumberFormatException e) {
                        declared = -1;
                    }
                    // Multipart framing adds a little; the file itself is checked exactly after upload.
                    if (declared > config.maxAssetSize() + 64 * 1024) {
                        rc.response().setStatusCode(413).putHeader("Content-Type", "application/json")
                                .putHeader("Connection", "close")
                                .end(Json.encode(ErrorBody.of("payload_too_large",
                                        ReleaseService.tooLarge(config.maxAssetSize()).getMessage())));
                        return;
                    }
                    rc.next();
                });
    }
}
