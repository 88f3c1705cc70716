package dev.shoal.pipeline.pipeline.service;

import dev.shoal.pipeline.config.PipelineConfigException;
import dev.shoal.pipeline.config.PipelineDefinition;
import dev.shoal.pipeline.config.PipelineParser;
import dev.shoal.pipeline.repo.client.RepoContentClient;
import dev.shoal.pipeline.repo.client.RepoContentClient.TreeEntry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds and parses a commit's pipeline file: {@code .shoal.yml}, else {@code .woodpecker.yml} or
 * {@code .woodpecker/*.yaml}, else {@code .drone.yml}. One tree listing decides which to read.
 */
@ApplicationScoped
public class ConfigLoader {

    /** A parsed file, or the reason it could not be used (the pipeline is then created in {@code error}). */
    public record LoadedConfig(String file, PipelineDefinition definition, PipelineConfigException error) {
    }

    private static final int MAX_WORKFLOW_FILES = 20;

    private final RepoContentClient repo;

    public ConfigLoader(RepoContentClient repo) {
        this.repo = repo;
    }

    /**
     * Empty when the commit holds no pipeline file. {@code configFile} (the repository's CI setting,
     * may be null) names the file, or a folder of workflow files, to read instead of the usual search.
     */
    public Uni<Optional<LoadedConfig>> load(long repoId, String commit, String configFile) {
        if (configFile != null) {
            String path = configFile.endsWith("/") ? configFile.substring(0, configFile.length() - 1) : configFile;
            return single(repoId, commit, path).chain(found -> found.isPresent()
                    ? Uni.createFrom().item(found) : workflows(repoId, commit, path));
        }
        return repo.tree(repoId, commit, "").chain(root -> {
            if (has(root, PipelineParser.SHOAL_FILE, false)) {
                return single(repoId, commit, PipelineParser.SHOAL_FILE);
            }
            if (has(root, PipelineParser.WOODPECKER_FILE, false)) {
                return single(repoId, commit, PipelineParser.WOODPECKER_FILE);
            }
            if (has(root, PipelineParser.WOODPECKER_DIR, true)) {
                return workflows(repoId, commit, PipelineParser.WOODPECKER_DIR).chain(found -> found.isPresent() || !has(root, PipelineParser.DRONE_FILE, false)
                        ? Uni.createFrom().item(found) : single(repoId, commit, PipelineParser.DRONE_FILE));
            }
            if (has(root, PipelineParser.DRONE_FILE, false)) {
                return single(repoId, commit, PipelineParser.DRONE_FILE);
            }
            return Uni.createFrom().item(Optional.empty());
        });
    }

    /**
     * The raw pipeline file(s) a pipeline was created from ({@code configFile} as stored on it: a
     * file, or a folder ending in '/'), path → bytes; empty when they are gone.
     */
    public Uni<Map<String, byte[]>> raw(long repoId, String commit, String configFile) {
        if (configFile == null || configFile.isBlank()) {
            return Uni.createFrom().item(Map.of());
        }
        if (!configFile.endsWith("/")) {
            return repo.file(repoId, commit, configFile).map(b -> b.map(bytes -> Map.of(configFile, bytes)).orElse(Map.of()));
        }
        String dir = configFile.substring(0, configFile.length() - 1);
        return repo.tree(repoId, commit, dir).chain(entries -> {
            List<String> files = entries.stream()
                    .filter(e -> !e.isDir() && (e.name().endsWith(".yaml") || e.name().endsWith(".yml")))
                    .map(e -> dir + "/" + e.name()).sorted().limit(MAX_WORKFLOW_FILES).toList();
            if (files.isEmpty()) {
                return Uni.createFrom().item(Map.<String, byte[]>of());
            }
            return Uni.join().all(files.stream().map(f -> repo.file(repoId, commit, f).map(b -> Map.entry(f, b))).toList())
                    .andFailFast().map(results -> {
                        Map<String, byte[]> out = new LinkedHashMap<>();
                        results.forEach(r -> r.getValue().ifPresent(b -> out.put(r.getKey(), b)));
                        return out;
                    });
        });
    }

    private Uni<Optional<LoadedConfig>> single(long repoId, String commit, String path) {
        return repo.file(repoId, commit, path).map(bytes -> bytes.map(b -> {
            String text = new String(b, StandardCharsets.UTF_8);
            try {
                return new LoadedConfig(path, PipelineParser.parse(path, text), null);
            } catch (PipelineConfigException e) {
                return new LoadedConfig(path, null, e);
            }
        }));
    }

    private Uni<Optional<LoadedConfig>> workflows(long repoId, String commit, String dir) {
        return repo.tree(repoId, commit, dir).chain(entries -> {
            List<String> files = entries.stream()
                    .filter(e -> !e.isDir() && (e.name().endsWith(".yaml") || e.name().endsWith(".yml")))
                    .map(e -> dir + "/" + e.name())
                    .sorted()
                    .limit(MAX_WORKFLOW_FILES)
                    .toList();
            if (files.isEmpty()) {
                return Uni.createFrom().item(Optional.<LoadedConfig>empty());
            }
            List<Uni<Map.Entry<String, Optional<byte[]>>>> reads = files.stream()
                    .map(f -> repo.file(repoId, commit, f).map(b -> Map.entry(f, b)))
                    .toList();
            return Uni.join().all(reads).andFailFast().map(results -> {
                Map<String, String> contents = new LinkedHashMap<>();
                results.forEach(r -> r.getValue().ifPresent(b -> contents.put(r.getKey(), new String(b, StandardCharsets.UTF_8))));
                try {
                    return Optional.of(new LoadedConfig(dir + "/",
                            PipelineParser.parseWorkflows(contents), null));
                } catch (PipelineConfigException e) {
                    return Optional.of(new LoadedConfig(e.file(), null, e));
                }
            });
        });
    }

    private static boolean has(List<TreeEntry> entries, String name, boolean dir) {
        return entries.stream().anyMatch(e -> e.name().equals(name) && e.isDir() == dir);
    }
}
