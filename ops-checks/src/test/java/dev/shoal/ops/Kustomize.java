package dev.shoal.ops;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Renders a kustomization with the real Kustomize ({@code kubectl kustomize}, part of the machine
 * image and installed by {@code .ci/run}), so the checks judge what a cluster would receive. Without
 * kubectl the checks fail with the reason: a skipped check would pass an overlay nobody rendered.
 */
final class Kustomize {

    private static final Map<Path, String> RENDERED = new ConcurrentHashMap<>();

    private Kustomize() {
    }

    /** The objects {@code kubectl kustomize dir} prints, each a fresh copy the caller may change. */
    static List<Map<String, Object>> build(Path dir) {
        String yaml = RENDERED.computeIfAbsent(dir.toAbsolutePath().normalize(),
                d -> run(d, System.getenv().getOrDefault("PATH", "")));
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(new StringReader(yaml))) {
            if (document != null) {
                objects.add(map(document));
            }
        }
        return objects;
    }

    /** Renders {@code dir} with the kubectl found on {@code searchPath}. */
    static String run(Path dir, String searchPath) {
        Path kubectl = kubectl(searchPath).orElseThrow(() -> new AssertionError(
                "kubectl is not on the PATH: the overlays are rendered with `kubectl kustomize` (Kustomize v5);"
                        + " install kubectl (the Debian package `kubectl`, as .ci/run does) and run again"));
        try {
            Path stderr = Files.createTempFile("kustomize", ".err");
            try {
                Process process = new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString())
                        .redirectError(stderr.toFile()).start();
                process.getOutputStream().close();
                byte[] out = process.getInputStream().readAllBytes();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("kubectl kustomize " + dir + " did not finish within 60 s");
                }
                if (process.exitValue() != 0) {
                    throw new AssertionError("kubectl kustomize " + dir + " failed (exit " + process.exitValue() + "): "
                            + Files.readString(stderr).strip());
                }
                return new String(out, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(stderr);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + kubectl + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while rendering " + dir, e);
        }
    }

    private static Optional<Path> kubectl(String searchPath) {
        return Stream.of(searchPath.split(":")).filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, "kubectl")).filter(Files::isExecutable).findFirst();
    }

    /** Containers and init containers of a workload's pod template; empty for other kinds. */
    static List<Map<String, Object>> containers(Map<String, Object> object) {
        Map<String, Object> podSpec = map(map(map(object.get("spec")).get("template")).get("spec"));
        List<Map<String, Object>> result = new ArrayList<>();
        for (String field : List.of("initContainers", "containers")) {
            list(podSpec.get(field)).forEach(c -> result.add(map(c)));
        }
        return result;
    }

    static Map<String, Object> metadata(Map<String, Object> object) {
        return map(object.get("metadata"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value == null ? new LinkedHashMap<>() : (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value == null ? new ArrayList<>() : (List<Object>) value;
    }
}
