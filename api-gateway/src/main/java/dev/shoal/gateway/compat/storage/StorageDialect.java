package dev.shoal.gateway.compat.storage;

import dev.shoal.gateway.proxy.ApiDialect;
import dev.shoal.platform.compat.storage.StorageErrors;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

/** The Code Storage API at the front door: paths under {@code /storage/api/}, errors as {@code {"error": message, "code": code}}. */
@ApplicationScoped
public class StorageDialect implements ApiDialect {

    @Override
    public boolean speaks(String path) {
        return StorageErrors.isStoragePath(path);
    }

    @Override
    public String errorBody(String code, String message) {
        return new JsonObject(StorageErrors.body(code, message, null)).encode();
    }
}
