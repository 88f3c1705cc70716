package dev.shoal.repo.storage.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where Code Storage's pull-upstream fetches from ({@code SHOAL_REPO_STORAGE_UPSTREAM_*}). A base
 * repository {@code github/owner/name} is fetched from {@code <github-url>/owner/name.git}; tests
 * point the base at a {@code file://} directory of bare repositories.
 */
@ConfigMapping(prefix = "shoal.repo.storage.upstream")
public interface StorageUpstreamConfig {

    @WithDefault("https://github.com")
    String githubUrl();
}
