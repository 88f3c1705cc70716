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
            java.nio.file.Path upstreams = Files.createTempDirectory("shoal-upstreams");
            return Map.ofEntries(
                    Map.entry("shoal.repo.storage.upstream.allowed-hosts",
                            "github.com,gitlab.com,bitbucket.org,gitea.com,codeberg.org,git.sr.ht,forge.example.org"),
                    // generic providers' hosts are mapped to directories of bare repositories under the same root
                    Map.entry("shoal.repo.storage.upstream.mirrors.\"gitlab.com\"", upstreams.resolve("gitlab.com").toUri().toString()),
                    Map.entry("shoal.repo.storage.upstream.mirrors.\"git.sr.ht\"", upstreams.resolve("git.sr.ht").toUri().toString()),
                    Map.entry("shoal.repo.storage.upstream.mirrors.\"forge.example.org\"",
                            upstreams.resolve("forge.example.org").toUri().toString()),
                    Map.entry("shoal.repo.storage", Files.createTempDirectory("shoal-repos").toString()),
                    // Code Storage's GitHub sync fetches from bare repositories in this directory (owner/name.git)
                    Map.entry("shoal.repo.storage.upstream.github-url", upstreams.toUri().toString()),
                    // Only a repository without a bitmap index is collected soon after a push, so the
                    // bitmap GitHttpTest waits for can come from the unindexed delay alone.
                    Map.entry("shoal.repo.gc-delay", "1h"),
                    Map.entry("shoal.repo.gc-unindexed-delay", "1s"),
                    Map.entry("shoal.repo.reconcile-interval", "1h"),
                    Map.entry("shoal.repo.max-inline-blob", "65536"),
                    Map.entry("shoal.repo.max-asset-size", "1048576"),
                    Map.entry("shoal.public-url", "http://shoal.test"),
                    // seals Code Storage git credentials (base64 of 32 bytes; a fixed test key)
                    Map.entry("shoal.repo.storage.credential-key", "c2hvYWwtdGVzdC1jcmVkZW50aWFsLWtleS0zMmJ5dGU="));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
    }
}
