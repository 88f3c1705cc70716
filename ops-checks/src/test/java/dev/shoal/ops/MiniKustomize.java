package dev.shoal.ops;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The part of Kustomize that {@code deploy/k8s} uses, so the overlays can be rendered in a plain
 * unit test with neither network nor kubectl: {@code resources} (files and directories),
 * {@code namespace}, {@code images} ({@code newName}/{@code newTag}), {@code patches} (strategic
 * merge, with an optional {@code target} of kind, name and label selector) and
 * {@code patchesStrategicMerge}. Anything else in a kustomization.yaml fails loudly instead of
 * being ignored, so a new feature in the manifests cannot slip past the checks unrendered.
 */
final class MiniKustomize {

    private static final Set<String> KNOWN_FIELDS = Set.of("apiVersion", "kind", "resources", "namespace", "images",
            "patches", "patchesStrategicMerge");
    /** Groups whose list fields Kustomize merges by {@code name}; lists in custom resources are replaced. */
    private static final Set<String> BUILT_IN_GROUPS = Set.of("", "apps", "policy", "autoscaling", "batch",
            "networking.k8s.io");
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
            "CustomResourceDefinition", "StorageClass", "PersistentVolume");

    private MiniKustomize() {
    }

    /** Renders the kustomization in {@code dir} into its list of objects. */
    static List<Map<String, Object>> build(Path dir) {
        Map<String, Object> kustomization = loadOne(dir.resolve("kustomization.yaml"));
        for (String key : kustomization.keySet()) {
            if (!KNOWN_FIELDS.contains(key)) {
                throw new IllegalArgumentException(dir + "/kustomization.yaml uses '" + key
                        + "', which MiniKustomize does not implement: implement it or do without");
            }
        }
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object resource : list(kustomization.get("resources"))) {
            Path path = dir.resolve((String) resource).normalize();
            if (Files.isDirectory(path)) {
                objects.addAll(build(path));
            } else {
                objects.addAll(loadAll(path));
            }
        }
        for (Object entry : list(kustomization.get("patchesStrategicMerge"))) {
            for (Map<String, Object> patch : loadAll(dir.resolve((String) entry))) {
                applyPatch(objects, patch, null, dir);
            }
        }
        for (Object entry : list(kustomization.get("patches"))) {
            Map<String, Object> spec = map(entry);
            if (!spec.containsKey("path")) {
                throw new IllegalArgumentException("only patches with a path are implemented, in " + dir);
            }
            for (Map<String, Object> patch : loadAll(dir.resolve((String) spec.get("path")))) {
                applyPatch(objects, patch, map(spec.get("target")), dir);
            }
        }
        for (Object entry : list(kustomization.get("images"))) {
            setImage(objects, map(entry));
        }
        Object namespace = kustomization.get("namespace");
        if (namespace != null) {
            for (Map<String, Object> object : objects) {
                if (!CLUSTER_SCOPED.contains(object.get("kind"))) {
                    metadata(object).put("namespace", namespace);
                }
            }
        }
        return objects;
    }

    private static void applyPatch(List<Map<String, Object>> objects, Map<String, Object> patch,
                                   Map<String, Object> target, Path dir) {
        int matched = 0;
        for (Map<String, Object> object : objects) {
            boolean hit = target == null || target.isEmpty()
                    ? Objects.equals(object.get("kind"), patch.get("kind"))
                            && Objects.equals(metadata(object).get("name"), metadata(patch).get("name"))
                    : matches(object, target);
            if (hit) {
                Map<String, Object> body = new LinkedHashMap<>(patch);
                body.remove("apiVersion");
                body.remove("kind");
                Map<String, Object> meta = new LinkedHashMap<>(metadata(patch));
                // With a target, the patch's own name is only a placeholder (as in Kustomize).
                meta.remove("name");
                body.put("metadata", meta);
                merge(object, body, builtIn(object));
                matched++;
            }
        }
        if (matched == 0) {
            throw new IllegalArgumentException("a patch in " + dir + " matches nothing: " + (target != null ? target
                    : patch.get("kind") + "/" + metadata(patch).get("name")));
        }
    }

    private static boolean matches(Map<String, Object> object, Map<String, Object> target) {
        if (target.containsKey("kind") && !Objects.equals(target.get("kind"), object.get("kind"))) {
            return false;
        }
        if (target.containsKey("name") && !Objects.equals(target.get("name"), metadata(object).get("name"))) {
            return false;
        }
        Object selector = target.get("labelSelector");
        if (selector != null) {
            Map<String, Object> labels = map(metadata(object).get("labels"));
            for (String term : ((String) selector).split(",")) {
                boolean negated = term.contains("!=");
                String[] kv = term.split(negated ? "!=" : "=", 2);
                boolean equal = Objects.equals(labels.get(kv[0].trim()), kv[1].trim());
                if (equal == negated) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Strategic merge: maps merge, null deletes, lists of named items merge by name in built-in kinds. */
    @SuppressWarnings("unchecked")
    static void merge(Map<String, Object> into, Map<String, Object> patch, boolean mergeNamedLists) {
        for (Map.Entry<String, Object> entry : patch.entrySet()) {
            Object current = into.get(entry.getKey());
            Object change = entry.getValue();
            if (change == null) {
                into.remove(entry.getKey());
            } else if (current instanceof Map && change instanceof Map) {
                merge((Map<String, Object>) current, (Map<String, Object>) change, mergeNamedLists);
            } else if (mergeNamedLists && current instanceof List && change instanceof List
                    && named((List<Object>) current) && named((List<Object>) change)) {
                for (Object item : (List<Object>) change) {
                    Map<String, Object> patchItem = (Map<String, Object>) item;
                    Map<String, Object> existing = ((List<Object>) current).stream().map(MiniKustomize::map)
                            .filter(m -> Objects.equals(m.get("name"), patchItem.get("name"))).findFirst().orElse(null);
                    if (existing != null) {
                        merge(existing, patchItem, true);
                    } else {
                        ((List<Object>) current).add(patchItem);
                    }
                }
            } else {
                into.put(entry.getKey(), change);
            }
        }
    }

    private static boolean named(List<Object> list) {
        return list.stream().allMatch(item -> item instanceof Map<?, ?> m && m.get("name") instanceof String);
    }

    private static boolean builtIn(Map<String, Object> object) {
        String apiVersion = (String) object.get("apiVersion");
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        return BUILT_IN_GROUPS.contains(group);
    }

    private static void setImage(List<Map<String, Object>> objects, Map<String, Object> image) {
        String name = (String) image.get("name");
        for (Map<String, Object> object : objects) {
            for (Map<String, Object> container : containers(object)) {
                String current = (String) container.get("image");
                int colon = current.lastIndexOf(':');
                String repository = colon > current.lastIndexOf('/') ? current.substring(0, colon) : current;
                String tag = colon > current.lastIndexOf('/') ? current.substring(colon + 1) : null;
                if (repository.equals(name)) {
                    String newName = (String) image.getOrDefault("newName", repository);
                    Object newTag = image.containsKey("newTag") ? image.get("newTag") : tag;
                    container.put("image", newTag == null ? newName : newName + ":" + newTag);
                }
            }
        }
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
        return map(object.computeIfAbsent("metadata", k -> new LinkedHashMap<>()));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value == null ? new LinkedHashMap<>() : (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value == null ? new ArrayList<>() : (List<Object>) value;
    }

    static List<Map<String, Object>> loadAll(Path file) {
        List<Map<String, Object>> result = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file)) {
            for (Object document : yaml().loadAll(reader)) {
                if (document != null) {
                    result.add(map(document));
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return result;
    }

    private static Map<String, Object> loadOne(Path file) {
        List<Map<String, Object>> documents = loadAll(file);
        if (documents.size() != 1) {
            throw new IllegalArgumentException(file + " must hold one document");
        }
        return documents.get(0);
    }

    static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }
}
