package dev.shoal.gateway.compat.pagure;

import dev.shoal.gateway.proxy.ApiDialect;
import dev.shoal.platform.compat.pagure.PagureErrors;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Pagure's API v0 at the front door: paths under {@code /api/0/}, whose namespace-less and
 * {@code fork/} forms become {@code /api/0/{org}/{repo}/…} before the route table sees them, and
 * errors as {@code {"error": message, "error_code": "E…"}}.
 */
@ApplicationScoped
public class PagureDialect implements ApiDialect {

    private final PagureConfig config;

    public PagureDialect(PagureConfig config) {
        this.config = config;
    }

    @Override
    public boolean speaks(String path) {
        return PagureErrors.isPagurePath(path);
    }

    @Override
    public String canonical(String path) {
        return PagurePaths.canonical(path, config.defaultNamespace());
    }

    @Override
    public String errorBody(String code, String message) {
        String pagureCode = PagureErrors.codeFor(code, message);
        return new JsonObject(PagureErrors.body(pagureCode, PagureErrors.messageFor(pagureCode, message))).encode();
    }
}
