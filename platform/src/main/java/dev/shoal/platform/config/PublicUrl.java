package dev.shoal.platform.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The address people reach Shoal at ({@code shoal.public-url}, env {@code SHOAL_PUBLIC_URL}, default
 * {@code http://localhost:8080}): the base of clone URLs, links in payloads and documents. Read and
 * trimmed (white space, trailing slashes) here once, so every service builds links the same way.
 */
@ApplicationScoped
public class PublicUrl {

    private final String base;

    @Inject
    public PublicUrl(@ConfigProperty(name = "shoal.public-url", defaultValue = "http://localhost:8080") String configured) {
        this.base = trim(configured);
    }

    /** Without a trailing slash: {@code base() + "/" + org + "/" + repo}. */
    public String base() {
        return base;
    }

    /** {@code path} (with or without its leading slash) under the public URL. */
    public String resolve(String path) {
        return base + (path.startsWith("/") ? path : "/" + path);
    }

    static String trim(String configured) {
        String value = configured.strip();
        while (value.endsWith("/")) {
            value = value.substring(0, value.length() - 1);
        }
        return value;
    }

    @Override
    public String toString() {
        return base;
    }
}
