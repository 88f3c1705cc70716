package dev.shoal.gateway.proxy;

/**
 * An API dialect the gateway serves beside Shoal's own (Pagure, Code Storage): what the front door
 * must know of it before any service runs. Each dialect's package provides one as a bean, so the
 * router and the error writer never name a dialect (issue #22: native code does not depend on compat).
 */
public interface ApiDialect {

    /** Whether {@code path} (as the client sent it) is in this dialect. */
    boolean speaks(String path);

    /** The path as the route table knows it: a dialect with several spellings of one route makes them one. */
    default String canonical(String path) {
        return path;
    }

    /** The body of a refusal the gateway decided itself (its status already chosen), in this dialect's error shape. */
    String errorBody(String code, String message);
}
