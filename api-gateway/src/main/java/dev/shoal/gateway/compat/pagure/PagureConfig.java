package dev.shoal.gateway.compat.pagure;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Pagure dialect settings. The prefix is {@code shoal.pagure} rather than {@code shoal.gateway}
 * because repo-service reads the same key (a project in this namespace shows Pagure's
 * {@code namespace: null}); one env var, {@code SHOAL_PAGURE_DEFAULT_NAMESPACE}, sets both.
 */
@ConfigMapping(prefix = "shoal.pagure")
public interface PagureConfig {

    /** The organization that holds Pagure's namespace-less projects ({@code /api/0/<repo>}). */
    @WithDefault("pagure")
    String defaultNamespace();
}
