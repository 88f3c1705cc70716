package dev.shoal.pipeline.config;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads Shoal ({@code .shoal.yml}), Woodpecker ({@code .woodpecker.yml}, {@code .woodpecker/*.yaml})
 * and Drone ({@code .drone.yml}) pipeline files. It walks SnakeYAML's node tree rather than plain
 * maps so that every problem, syntactic or not, is reported with its line. Keys the forge does not
 * use (volumes, pull, settings, services…) are accepted and ignored, so existing files keep working.
 */
public final class PipelineParser {

    public static final String SHOAL_FILE = ".shoal.yml";
    public static final String WOODPECKER_FILE = ".woodpecker.yml";
    public static final String WOODPECKER_DIR = ".woodpecker";
    public static final String DRONE_FILE = ".drone.yml";

    private static final int MAX_FILE_CHARS = 512 * 1024;
    private static final Set<String> NAMED_PIPELINE_KEYS = Set.of("steps", "pipeline");

    private PipelineParser() {
    }

    /** Parses one file; the dialect follows from its name. */
    public static PipelineDefinition parse(String fileName, String content) throws PipelineConfigException {
        String dialect = dialectOf(fileName);
        List<Node> documents = compose(fileName, content);
        List<StepSpec> steps = new ArrayList<>();
        When when = When.ALWAYS;
        Map<String, String> labels = new TreeMap<>();
        String platform = null;
        int pipelines = 0;
        for (Node document : documents) {
            if (document == null) {
                continue;
            }
            MappingNode root = mapping(fileName, document, "the top level of the file");
            Map<String, NodeTuple> keys = keys(fileName, root);
            if (dialect.equals("drone") || keys.containsKey("kind")) {
                String kind = keys.containsKey("kind") ? scalar(fileName, keys.get("kind").getValueNode(), "kind") : "";
                if (!kind.equals("pipeline")) {
                    // Drone files also hold `kind: secret` and `kind: signature` documents.
                    continue;
                }
            }
            pipelines++;
            Node stepsNode = NAMED_PIPELINE_KEYS.stream().filter(keys::containsKey).findFirst()
                    .map(k -> keys.get(k).getValueNode()).orElse(null);
            if (stepsNode == null) {
                throw new PipelineConfigException(fileName, line(root), "the pipeline has no 'steps'");
            }
            String prefix = pipelines > 1 && keys.containsKey("name")
                    ? scalar(fileName, keys.get("name").getValueNode(), "name") + "/" : "";
            for (StepSpec step : steps(fileName, stepsNode)) {
                steps.add(prefix.isEmpty() ? step : rename(step, prefix));
            }
            NodeTuple pipelineWhen = keys.containsKey("when") ? keys.get("when") : keys.get("trigger");
            if (pipelineWhen != null && pipelines == 1) {
                when = when(fileName, pipelineWhen.getValueNode());
            }
            if (keys.containsKey("labels")) {
                labels.putAll(stringMap(fileName, keys.get("labels").getValueNode(), "labels"));
            }
            if (keys.containsKey("node")) {
                labels.putAll(stringMap(fileName, keys.get("node").getValueNode(), "node"));
            }
            if (keys.containsKey("platform")) {
                platform = platform(fileName, keys.get("platform").getValueNode());
            }
        }
        if (pipelines == 0) {
            throw new PipelineConfigException(fileName, 1, dialect.equals("drone")
                    ? "no document with 'kind: pipeline'" : "the file is empty");
        }
        validate(fileName, steps);
        return new PipelineDefinition(fileName, dialect, ordered(steps), when, labels, platform);
    }

    /**
     * A {@code .woodpecker/} directory: each file is a workflow; their steps run in file-name order,
     * named {@code workflow/step} when the directory holds more than one file.
     */
    public static PipelineDefinition parseWorkflows(Map<String, String> filesByPath) throws PipelineConfigException {
        Map<String, String> sorted = new TreeMap<>(filesByPath);
        List<StepSpec> steps = new ArrayList<>();
        Map<String, String> labels = new TreeMap<>();
        String platform = null;
        When when = When.ALWAYS;
        for (Map.Entry<String, String> file : sorted.entrySet()) {
            PipelineDefinition workflow = parse(file.getKey(), file.getValue());
            String base = file.getKey().substring(file.getKey().lastIndexOf('/') + 1).replaceFirst("\\.ya?ml$", "");
            for (StepSpec step : workflow.steps()) {
                StepSpec scoped = sorted.size() > 1 ? rename(step, base + "/") : step;
                if (!workflow.when().anyOf().isEmpty()) {
                    // A workflow's filter applies to each of its steps.
                    scoped = withWorkflowFilter(scoped, workflow.when());
                }
                steps.add(scoped);
            }
            labels.putAll(workflow.labels());
            if (workflow.platform() != null) {
                platform = workflow.platform();
            }
        }
        if (steps.isEmpty()) {
            throw new PipelineConfigException(WOODPECKER_DIR, 0, "the directory holds no workflow file");
        }
        String file = sorted.size() == 1 ? sorted.keySet().iterator().next() : WOODPECKER_DIR + "/";
        return new PipelineDefinition(file, "woodpecker", steps, when, labels, platform);
    }

    private static StepSpec withWorkflowFilter(StepSpec step, When workflow) {
        if (step.when().anyOf().isEmpty()) {
            return new StepSpec(step.name(), step.image(), step.commands(), step.environment(), step.secrets(),
                    workflow, step.dependsOn(), step.file(), step.line());
        }
        // Both must hold: combine each step clause with each workflow clause.
        List<WhenClause> combined = new ArrayList<>();
        for (WhenClause s : step.when().anyOf()) {
            for (WhenClause w : workflow.anyOf()) {
                combined.add(new WhenClause(
                        both(s.branch(), w.branch()), both(s.event(), w.event()),
                        s.status().isEmpty() ? w.status() : s.status()));
            }
        }
        return new StepSpec(step.name(), step.image(), step.commands(), step.environment(), step.secrets(),
                new When(combined), step.dependsOn(), step.file(), step.line());
    }

    private static Constraint both(Constraint a, Constraint b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        // Keeping the narrower include list is an approximation that never widens the filter.
        List<String> exclude = new ArrayList<>(a.exclude());
        exclude.addAll(b.exclude());
        return new Constraint(a.include().isEmpty() ? b.include() : a.include(), exclude);
    }

    public static String dialectOf(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(DRONE_FILE)) {
            return "drone";
        }
        if (name.contains(".woodpecker")) {
            return "woodpecker";
        }
        return "shoal";
    }

    private static StepSpec rename(StepSpec step, String prefix) {
        return new StepSpec(prefix + step.name(), step.image(), step.commands(), step.environment(), step.secrets(),
                step.when(), step.dependsOn().stream().map(d -> prefix + d).toList(), step.file(), step.line());
    }

    private static List<Node> compose(String fileName, String content) throws PipelineConfigException {
        if (content.length() > MAX_FILE_CHARS) {
            throw new PipelineConfigException(fileName, 0, "the file is larger than " + MAX_FILE_CHARS / 1024 + " KiB");
        }
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(50);
        options.setAllowDuplicateKeys(false);
        options.setNestingDepthLimit(40);
        options.setCodePointLimit(MAX_FILE_CHARS * 2);
        try {
            List<Node> documents = new ArrayList<>();
            for (Node node : new Yaml(options).composeAll(new StringReader(content))) {
                documents.add(node);
            }
            return documents;
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            String context = e.getContext() != null ? e.getContext() + ": " : "";
            throw new PipelineConfigException(fileName, mark == null ? 0 : mark.getLine() + 1,
                    "invalid YAML: " + context + problem);
        } catch (YAMLException e) {
            throw new PipelineConfigException(fileName, 0, "invalid YAML: " + e.getMessage());
        }
    }

    private static List<StepSpec> steps(String file, Node node) throws PipelineConfigException {
        List<StepSpec> steps = new ArrayList<>();
        if (node instanceof MappingNode map) {
            for (NodeTuple entry : entries(file, map)) {
                String name = scalar(file, entry.getKeyNode(), "step name");
                steps.add(step(file, name, entry.getValueNode()));
            }
        } else if (node instanceof SequenceNode list) {
            for (Node item : list.getValue()) {
                MappingNode map = mapping(file, item, "a step");
                Map<String, NodeTuple> keys = keys(file, map);
                if (!keys.containsKey("name")) {
                    throw new PipelineConfigException(file, line(item), "a step in a list needs a 'name'");
                }
                steps.add(step(file, scalar(file, keys.get("name").getValueNode(), "name"), item));
            }
        } else {
            throw new PipelineConfigException(file, line(node), "'steps' must be a map of named steps or a list of steps");
        }
        if (steps.isEmpty()) {
            throw new PipelineConfigException(file, line(node), "'steps' is empty");
        }
        return steps;
    }

    private static StepSpec step(String file, String name, Node node) throws PipelineConfigException {
        if (name.isBlank() || name.length() > 100) {
            throw new PipelineConfigException(file, line(node), "a step name must be 1-100 characters");
        }
        MappingNode map = mapping(file, node, "step '" + name + "'");
        Map<String, NodeTuple> keys = keys(file, map);
        String image = keys.containsKey("image") ? scalar(file, keys.get("image").getValueNode(), "image") : null;
        List<String> commands = new ArrayList<>();
        for (String key : List.of("commands", "command")) {
            if (keys.containsKey(key)) {
                commands.addAll(stringList(file, keys.get(key).getValueNode(), key));
            }
        }
        if (image == null && commands.isEmpty()) {
            throw new PipelineConfigException(file, line(node), "step '" + name + "' needs an 'image' or 'commands'");
        }
        Map<String, String> environment = new LinkedHashMap<>();
        Map<String, String> secrets = new LinkedHashMap<>();
        if (keys.containsKey("environment")) {
            environment(file, keys.get("environment").getValueNode(), environment, secrets);
        }
        if (keys.containsKey("secrets")) {
            stepSecrets(file, keys.get("secrets").getValueNode(), secrets);
        }
        When when = keys.containsKey("when") ? when(file, keys.get("when").getValueNode()) : When.ALWAYS;
        List<String> dependsOn = keys.containsKey("depends_on")
                ? stringList(file, keys.get("depends_on").getValueNode(), "depends_on") : List.of();
        return new StepSpec(name, image, List.copyOf(commands), environment, secrets, when, dependsOn, file, line(node));
    }

    private static void environment(String file, Node node, Map<String, String> plain, Map<String, String> secrets)
            throws PipelineConfigException {
        if (node instanceof SequenceNode list) {
            // Drone and old Woodpecker files also allow `- KEY=value`.
            for (Node item : list.getValue()) {
                String pair = scalar(file, item, "environment entry");
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new PipelineConfigException(file, line(item), "environment entries in a list must be KEY=value");
                }
                plain.put(envName(file, item, pair.substring(0, eq)), pair.substring(eq + 1));
            }
            return;
        }
        MappingNode map = mapping(file, node, "environment");
        for (NodeTuple entry : entries(file, map)) {
            String key = envName(file, entry.getKeyNode(), scalar(file, entry.getKeyNode(), "environment name"));
            Node value = entry.getValueNode();
            if (value instanceof MappingNode ref) {
                Map<String, NodeTuple> refKeys = keys(file, ref);
                if (!refKeys.containsKey("from_secret")) {
                    throw new PipelineConfigException(file, line(value),
                            "environment '" + key + "' must be a value or {from_secret: name}");
                }
                secrets.put(key, scalar(file, refKeys.get("from_secret").getValueNode(), "from_secret"));
            } else {
                plain.put(key, scalar(file, value, "environment '" + key + "'"));
            }
        }
    }

    private static void stepSecrets(String file, Node node, Map<String, String> secrets) throws PipelineConfigException {
        if (!(node instanceof SequenceNode list)) {
            throw new PipelineConfigException(file, line(node), "'secrets' must be a list of secret names");
        }
        for (Node item : list.getValue()) {
            if (item instanceof MappingNode map) {
                Map<String, NodeTuple> keys = keys(file, map);
                if (!keys.containsKey("source")) {
                    throw new PipelineConfigException(file, line(item), "a secret entry needs 'source' (and optionally 'target')");
                }
                String source = scalar(file, keys.get("source").getValueNode(), "source");
                String target = keys.containsKey("target") ? scalar(file, keys.get("target").getValueNode(), "target") : source;
                secrets.put(envName(file, item, target.toUpperCase(Locale.ROOT)), source);
            } else {
                String name = scalar(file, item, "secret name");
                secrets.put(envName(file, item, name.toUpperCase(Locale.ROOT)), name);
            }
        }
    }

    private static String envName(String file, Node node, String name) throws PipelineConfigException {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new PipelineConfigException(file, line(node),
                    "'" + name + "' is not a valid environment variable name (letters, digits and '_', not starting with a digit)");
        }
        return name;
    }

    private static When when(String file, Node node) throws PipelineConfigException {
        List<WhenClause> clauses = new ArrayList<>();
        if (node instanceof SequenceNode list) {
            for (Node item : list.getValue()) {
                clauses.add(clause(file, item));
            }
        } else {
            clauses.add(clause(file, node));
        }
        return new When(clauses);
    }

    private static WhenClause clause(String file, Node node) throws PipelineConfigException {
        Map<String, NodeTuple> keys = keys(file, mapping(file, node, "when"));
        Constraint branch = keys.containsKey("branch") ? constraint(file, keys.get("branch").getValueNode(), "branch")
                : Constraint.ANY;
        Constraint event = keys.containsKey("event") ? events(file, keys.get("event").getValueNode()) : Constraint.ANY;
        Constraint status = keys.containsKey("status") ? constraint(file, keys.get("status").getValueNode(), "status")
                : Constraint.ANY;
        for (String s : status.include()) {
            if (!s.equals("success") && !s.equals("failure")) {
                throw new PipelineConfigException(file, line(keys.get("status").getValueNode()),
                        "when.status values are 'success' and 'failure', got '" + s + "'");
            }
        }
        return new WhenClause(branch, event, status);
    }

    /** Drone and Woodpecker call a pull request event {@code pull_request}; Drone's manual one is {@code custom}. */
    private static Constraint events(String file, Node node) throws PipelineConfigException {
        Constraint raw = constraint(file, node, "event");
        return new Constraint(raw.include().stream().map(PipelineParser::eventAlias).toList(),
                raw.exclude().stream().map(PipelineParser::eventAlias).toList());
    }

    private static String eventAlias(String event) {
        return switch (event) {
            case "custom", "promote", "deployment" -> "manual";
            case "pull-request" -> "pull_request";
            default -> event;
        };
    }

    /** {@code value}, {@code [a, b]} or {@code {include: [...], exclude: [...]}}. */
    private static Constraint constraint(String file, Node node, String what) throws PipelineConfigException {
        if (node instanceof MappingNode map) {
            Map<String, NodeTuple> keys = keys(file, map);
            for (String key : keys.keySet()) {
                if (!key.equals("include") && !key.equals("exclude")) {
                    throw new PipelineConfigException(file, line(map), what + " accepts 'include' and 'exclude', not '" + key + "'");
                }
            }
            List<String> include = keys.containsKey("include") ? stringList(file, keys.get("include").getValueNode(), what) : List.of();
            List<String> exclude = keys.containsKey("exclude") ? stringList(file, keys.get("exclude").getValueNode(), what) : List.of();
            return new Constraint(include, exclude);
        }
        return new Constraint(stringList(file, node, what), List.of());
    }

    private static String platform(String file, Node node) throws PipelineConfigException {
        if (node instanceof MappingNode map) {
            Map<String, NodeTuple> keys = keys(file, map);
            String os = keys.containsKey("os") ? scalar(file, keys.get("os").getValueNode(), "platform.os") : "linux";
            String arch = keys.containsKey("arch") ? scalar(file, keys.get("arch").getValueNode(), "platform.arch") : null;
            return arch == null ? os : os + "/" + arch;
        }
        return scalar(file, node, "platform");
    }

    private static void validate(String file, List<StepSpec> steps) throws PipelineConfigException {
        Set<String> names = new HashSet<>();
        for (StepSpec step : steps) {
            if (!names.add(step.name())) {
                throw new PipelineConfigException(step.file(), step.line(), "two steps are named '" + step.name() + "'");
            }
        }
        for (StepSpec step : steps) {
            for (String dependency : step.dependsOn()) {
                if (!names.contains(dependency)) {
                    throw new PipelineConfigException(step.file(), step.line(),
                            "step '" + step.name() + "' depends on '" + dependency + "', which is not a step of this pipeline");
                }
            }
        }
    }

    /** File order, except that a step comes after everything it depends on; a cycle is an error. */
    private static List<StepSpec> ordered(List<StepSpec> steps) throws PipelineConfigException {
        Map<String, StepSpec> byName = new LinkedHashMap<>();
        steps.forEach(s -> byName.put(s.name(), s));
        Set<String> done = new LinkedHashSet<>();
        List<StepSpec> result = new ArrayList<>();
        for (StepSpec step : steps) {
            visit(step, byName, done, new LinkedHashSet<>(), result);
        }
        return result;
    }

    private static void visit(StepSpec step, Map<String, StepSpec> byName, Set<String> done, Set<String> path,
                              List<StepSpec> result) throws PipelineConfigException {
        if (done.contains(step.name())) {
            return;
        }
        if (!path.add(step.name())) {
            throw new PipelineConfigException(step.file(), step.line(),
                    "depends_on forms a cycle: " + String.join(" -> ", path) + " -> " + step.name());
        }
        for (String dependency : step.dependsOn()) {
            visit(byName.get(dependency), byName, done, path, result);
        }
        path.remove(step.name());
        done.add(step.name());
        result.add(step);
    }

    // --- node helpers -----------------------------------------------------------------------------

    private static int line(Node node) {
        return node == null || node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    private static MappingNode mapping(String file, Node node, String what) throws PipelineConfigException {
        if (node instanceof MappingNode map) {
            return map;
        }
        throw new PipelineConfigException(file, line(node), what + " must be a map of keys and values");
    }

    /** Entries with YAML merge keys ({@code <<: *anchor}) expanded, as Woodpecker files use them. */
    private static List<NodeTuple> entries(String file, MappingNode map) throws PipelineConfigException {
        List<NodeTuple> result = new ArrayList<>();
        for (NodeTuple tuple : map.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals("<<")) {
                Node merged = tuple.getValueNode();
                List<Node> sources = merged instanceof SequenceNode seq ? seq.getValue() : List.of(merged);
                for (Node source : sources) {
                    for (NodeTuple inherited : entries(file, mapping(file, source, "a merged map"))) {
                        String name = ((ScalarNode) inherited.getKeyNode()).getValue();
                        if (map.getValue().stream().noneMatch(t -> t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(name))) {
                            result.add(inherited);
                        }
                    }
                }
            } else {
                result.add(tuple);
            }
        }
        return result;
    }

    private static Map<String, NodeTuple> keys(String file, MappingNode map) throws PipelineConfigException {
        Map<String, NodeTuple> keys = new LinkedHashMap<>();
        for (NodeTuple tuple : entries(file, map)) {
            keys.put(scalar(file, tuple.getKeyNode(), "a key"), tuple);
        }
        return keys;
    }

    private static String scalar(String file, Node node, String what) throws PipelineConfigException {
        if (node instanceof ScalarNode scalar) {
            return scalar.getValue();
        }
        throw new PipelineConfigException(file, line(node), what + " must be a single value");
    }

    private static List<String> stringList(String file, Node node, String what) throws PipelineConfigException {
        if (node instanceof ScalarNode scalar) {
            return List.of(scalar.getValue());
        }
        if (node instanceof SequenceNode list) {
            List<String> values = new ArrayList<>();
            for (Node item : list.getValue()) {
                values.add(scalar(file, item, what + " entries"));
            }
            return values;
        }
        throw new PipelineConfigException(file, line(node), what + " must be a value or a list of values");
    }

    private static Map<String, String> stringMap(String file, Node node, String what) throws PipelineConfigException {
        Map<String, String> values = new TreeMap<>();
        for (NodeTuple entry : entries(file, mapping(file, node, what))) {
            values.put(scalar(file, entry.getKeyNode(), what + " key"), scalar(file, entry.getValueNode(), what + " value"));
        }
        return values;
    }
}
