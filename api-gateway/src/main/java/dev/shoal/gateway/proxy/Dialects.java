package dev.shoal.gateway.proxy;

import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.util.List;

/** The dialect a request path is in: the first {@link ApiDialect} bean that speaks it, else Shoal's own. */
@ApplicationScoped
public class Dialects {

    /** Shoal's own API: paths as they are, errors in the envelope {@code {"error": {"code", "message"}}}. */
    static final ApiDialect NATIVE = new ApiDialect() {
        @Override
        public boolean speaks(String path) {
            return true;
        }

        @Override
        public String errorBody(String code, String message) {
            return new JsonObject().put("error", new JsonObject().put("code", code).put("message", message)).encode();
        }
    };

    private final List<ApiDialect> dialects;

    public Dialects(@Any Instance<ApiDialect> dialects) {
        this.dialects = dialects.stream().toList();
    }

    public ApiDialect of(String path) {
        for (ApiDialect dialect : dialects) {
            if (dialect.speaks(path)) {
                return dialect;
            }
        }
        return NATIVE;
    }
}
