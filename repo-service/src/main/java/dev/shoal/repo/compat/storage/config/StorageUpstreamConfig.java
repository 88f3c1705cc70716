package dev.shoal.repo.compat.storage.config;

import io.smallrye.config.WithDefault;
import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Map;

/**
 * Where Code Storage's pull-upstream fetches from ({@code SHOAL_REPO_STORAGE_UPSTREAM_*}). A base
 * repository {@code provider/owner/name} on {@code host} is fetched from
 * {@code https://host/owner/name.git}, or from {@code <mirror>/owner/name.git} when {@link #mirrors()}
 * maps the host (an internal mirror; tests map hosts to {@code file://} directories of bare repositories).
 */
@ConfigMapping(prefix = "shoal.repo.storage.upstream")
public interface StorageUpstreamConfig {

    /** GitHub's base URL (kept for existing deployments; a {@code github.com} mirror entry takes precedence). */
    @WithDefault("https://github.com")
    String githubUrl();

    /**
     * The only hosts a base repository may live on (SSRF: a caller must not make this server fetch
     * from an arbitrary address). Compared case-insensitively against the bare hostname.
     */
    @WithDefault("github.com,gitlab.com,bitbucket.org,gitea.com,codeberg.org,git.sr.ht")
    List<String> allowedHosts();

    /**
     * Host → base URL to fetch from instead of {@code https://host}; the key is quoted in properties
     * ({@code shoal.repo.storage.upstream.mirrors."gitlab.com"=https://mirror.internal/gitlab}).
     */
    Map<String, String> mirrors();
}
