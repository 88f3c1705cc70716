package dev.shoal.repo.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/** A fresh repository storage directory per test JVM (the database is fresh per JVM too). */
public class RepoStorageResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        try {
            return Map.of(
                    "shoal.repo.storage", Files.createTempDirectory("shoal-repos").toString(),
                    // Code Storage's GitHub sync fetches from bare repositories in this directory (owner/name.git)
                    "shoal.repo.storage.upstream.github-url", Files.createTempDirectory("shoal-upstreams").toUri().toString(),
                    "shoal.repo.gc-delay", "1s",
                    "shoal.repo.reconcile-interval", "1h",
                    "shoal.repo.max-inline-blob", "65536",
                    "shoal.repo.max-asset-size", "1048576",
                    "shoal.public-url", "http://shoal.test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
    }
}
