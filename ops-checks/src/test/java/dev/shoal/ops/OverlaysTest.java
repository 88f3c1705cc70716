package dev.shoal.ops;

import static dev.shoal.ops.Kustomize.containers;
import static dev.shoal.ops.Kustomize.list;
import static dev.shoal.ops.Kustomize.map;
import static dev.shoal.ops.Kustomize.metadata;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders deploy/k8s/overlays/{local,production} with {@code kubectl kustomize} and checks the rules the operations guide
 * promises: probes, resources, images, a PDB and an HPA per service, the network policies, and
 * Kafka's durability settings in production.
 */
class OverlaysTest {

    private static final Path K8S = Path.of(System.getProperty("shoal.k8s.dir", "../deploy/k8s"));
    private static final List<String> STATELESS = List.of("api-gateway", "issue-service", "pipeline-service",
            "webhook-service", "web-ui");
    private static final List<String> SERVICES = List.of("api-gateway", "repo-service", "issue-service",
            "pipeline-service", "webhook-service");
    private static final Map<String, Integer> PORTS = Map.of("api-gateway", 8080, "repo-service", 8081,
            "issue-service", 8082, "pipeline-service", 8083, "webhook-service", 8084);

    @ParameterizedTest
    @CsvSource({"local, 0.1.0-SNAPSHOT", "production, 0.1.0"})
    void everyWorkloadHasTheOverlaysImageAndResources(String overlay, String tag) {
        List<Map<String, Object>> objects = render(overlay);
        List<Map<String, Object>> workloads = ofKinds(objects, "Deployment", "StatefulSet");
        assertThat(workloads).extracting(o -> metadata(o).get("name"))
                .containsExactlyInAnyOrder("api-gateway", "repo-service", "issue-service", "pipeline-service",
                        "webhook-service", "web-ui", "ci-agent");
        for (Map<String, Object> workload : workloads) {
            String name = name(workload);
            assertThat(metadata(workload).get("namespace")).as(name + " namespace").isEqualTo("shoal");
            for (Map<String, Object> container : containers(workload)) {
                assertThat(container.get("image")).as(name + " image").isEqualTo("shoal/" + name + ":" + tag);
                Map<String, Object> resources = map(container.get("resources"));
                for (String part : List.of("requests", "limits")) {
                    assertThat(map(resources.get(part))).as(name + " resources." + part).containsKeys("cpu", "memory");
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everyServiceHasProbesOnQuarkusHealthAndItsDatabaseAndKeys(String overlay) {
        List<Map<String, Object>> objects = render(overlay);
        for (String service : SERVICES) {
            Map<String, Object> workload = find(objects, service.equals("repo-service") ? "StatefulSet" : "Deployment",
                    service);
            Map<String, Object> container = containers(workload).get(0);
            assertThat(probePath(container, "readinessProbe")).as(service + " readiness").isEqualTo("/q/health/ready");
            assertThat(probePath(container, "livenessProbe")).as(service + " liveness").isEqualTo("/q/health/live");
            // repo-service also serves git over SSH (ADR 0010), exposed by the shoal-ssh LoadBalancer
            List<Object> ports = service.equals("repo-service") ? List.of(PORTS.get(service), 8086) : List.of(PORTS.get(service));
            assertThat(list(container.get("ports"))).extracting(p -> map(p).get("containerPort"))
                    .as(service + " port").containsExactlyElementsOf(ports);
            Map<String, Object> env = env(container);
            String database = "shoal_" + service.replace("-service", "").replace("api-", "");
            assertThat(env.get("QUARKUS_DATASOURCE_REACTIVE_URL")).as(service)
                    .isEqualTo("postgresql://shoal-pg-rw:5432/" + database);
            assertThat(env.get("QUARKUS_DATASOURCE_JDBC_URL")).as(service)
                    .isEqualTo("jdbc:postgresql://shoal-pg-rw:5432/" + database);
            assertThat(env).containsKeys("QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD",
                    "SHOAL_INTERNAL_JWT_PUBLIC_KEYS_DIR", "SHOAL_INTERNAL_JWT_PRIVATE_KEY_LOCATION");
            assertThat(secretName(env.get("QUARKUS_DATASOURCE_PASSWORD"))).isEqualTo("shoal-db-" + database.substring(6));
            assertThat(list(container.get("envFrom"))).as(service + " reads the ConfigMap")
                    .anySatisfy(e -> assertThat(map(map(e).get("configMapRef")).get("name")).isEqualTo("shoal-config"));
        }
        assertThat(secretName(env(containers(find(objects, "Deployment", "api-gateway")).get(0))
                .get("SHOAL_GATEWAY_ADMIN_TOKEN"))).isEqualTo("shoal-admin");
        assertThat(secretName(env(containers(find(objects, "Deployment", "pipeline-service")).get(0))
                .get("SHOAL_PIPELINE_SECRET_KEY"))).isEqualTo("shoal-pipeline");
        assertThat(secretName(env(containers(find(objects, "Deployment", "webhook-service")).get(0))
                .get("SHOAL_WEBHOOK_SECRET_KEY"))).isEqualTo("shoal-webhook");
        Map<String, Object> config = map(find(objects, "ConfigMap", "shoal-config").get("data"));
        assertThat(config).containsKeys("SHOAL_PUBLIC_URL", "SHOAL_KAFKA_BOOTSTRAP_SERVERS", "SHOAL_SERVICES_REPO_URL",
                "SHOAL_SERVICES_ISSUE_URL", "SHOAL_SERVICES_PIPELINE_URL", "SHOAL_SERVICES_WEBHOOK_URL",
                "SHOAL_SERVICES_GATEWAY_URL");
        PORTS.forEach((service, port) -> assertThat(config.get("SHOAL_SERVICES_"
                + (service.equals("api-gateway") ? "GATEWAY" : service.replace("-service", "").toUpperCase()) + "_URL"))
                .isEqualTo("http://" + service + ":" + port));
    }

    /** ADR 0006: the services each callers trusts, as their application.properties name them. */
    private static final Map<String, List<String>> TRUSTED = Map.of(
            "api-gateway", List.of("repo-service", "issue-service", "pipeline-service"),
            "repo-service", List.of("api-gateway", "issue-service", "pipeline-service"),
            "issue-service", List.of("api-gateway"),
            "pipeline-service", List.of("api-gateway", "issue-service"),
            "webhook-service", List.of("api-gateway"));

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everyServiceMountsItsOwnPrivateKeyAndOnlyThePublicKeysItTrusts(String overlay) {
        List<Map<String, Object>> objects = render(overlay);
        for (String service : SERVICES) {
            Map<String, Object> workload = find(objects, service.equals("repo-service") ? "StatefulSet" : "Deployment", service);
            Map<String, Object> pod = map(map(map(workload.get("spec")).get("template")).get("spec"));
            List<Map<String, Object>> secrets = list(pod.get("volumes")).stream().map(v -> map(v))
                    .filter(v -> v.containsKey("secret")).map(v -> map(v.get("secret"))).toList();
            assertThat(secrets).as(service + " mounts one secret: its own key")
                    .extracting(s -> s.get("secretName")).containsExactly("shoal-jwt-" + service);
            Map<String, Object> publicKeys = list(pod.get("volumes")).stream().map(v -> map(v))
                    .filter(v -> v.containsKey("configMap")).map(v -> map(v.get("configMap")))
                    .filter(c -> "shoal-jwt-public".equals(c.get("name"))).findFirst().orElseThrow();
            assertThat(list(publicKeys.get("items"))).as(service + " public keys")
                    .extracting(i -> map(i).get("key"))
                    .containsExactlyInAnyOrderElementsOf(TRUSTED.get(service).stream().map(t -> t + ".pem").toList());
            Map<String, Object> env = env(containers(workload).get(0));
            assertThat(env.get("SHOAL_INTERNAL_JWT_PRIVATE_KEY_LOCATION")).isEqualTo("/etc/shoal/keys/private/private.pem");
            assertThat(env.get("SHOAL_INTERNAL_JWT_PUBLIC_KEYS_DIR")).isEqualTo("/etc/shoal/keys/public");
        }
        assertThat(objects).as("no Secret holds a key in the manifests")
                .noneMatch(o -> "Secret".equals(o.get("kind")) && String.valueOf(name(o)).startsWith("shoal-jwt"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void repoServiceIsAStatefulSetWithAVolumeForRepositories(String overlay) {
        Map<String, Object> repo = find(render(overlay), "StatefulSet", "repo-service");
        Map<String, Object> container = containers(repo).get(0);
        assertThat(env(container)).containsEntry("SHOAL_REPO_STORAGE", "/data/repos");
        List<Object> claims = list(map(repo.get("spec")).get("volumeClaimTemplates"));
        assertThat(claims).extracting(c -> metadata(map(c)).get("name")).containsExactly("repos");
        assertThat(list(container.get("volumeMounts"))).anySatisfy(m -> {
            assertThat(map(m).get("name")).isEqualTo("repos");
            assertThat(map(m).get("mountPath")).isEqualTo("/data/repos");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everyServiceHasAPdbAndEveryStatelessOneAnHpa(String overlay) {
        List<Map<String, Object>> objects = render(overlay);
        for (String service : SERVICES) {
            Map<String, Object> pdb = find(objects, "PodDisruptionBudget", service);
            assertThat(map(map(map(pdb.get("spec")).get("selector")).get("matchLabels")))
                    .containsEntry("app.kubernetes.io/name", service);
            assertThat(map(pdb.get("spec"))).as(service + " PDB sets exactly one of minAvailable/maxUnavailable")
                    .containsAnyOf(Map.entry("minAvailable", 1), Map.entry("maxUnavailable", 1))
                    .satisfies(spec -> assertThat(spec.containsKey("minAvailable") ^ spec.containsKey("maxUnavailable")).isTrue());
        }
        List<Map<String, Object>> hpas = ofKinds(objects, "HorizontalPodAutoscaler");
        assertThat(hpas).extracting(o -> map(map(o.get("spec")).get("scaleTargetRef")).get("name"))
                .containsExactlyInAnyOrderElementsOf(STATELESS);
        for (Map<String, Object> hpa : hpas) {
            Map<String, Object> spec = map(hpa.get("spec"));
            assertThat((Integer) spec.get("maxReplicas")).isGreaterThan((Integer) spec.get("minReplicas"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void agentsScaleOnThePipelineQueueThroughKeda(String overlay) {
        Map<String, Object> scaled = find(render(overlay), "ScaledObject", "ci-agent");
        Map<String, Object> spec = map(scaled.get("spec"));
        assertThat(map(spec.get("scaleTargetRef")).get("name")).isEqualTo("ci-agent");
        assertThat(list(spec.get("triggers"))).singleElement().satisfies(t -> {
            assertThat(map(t).get("type")).isIn("prometheus", "metrics-api");
            assertThat(map(map(t).get("metadata")).toString()).contains("shoal_pipeline_queue_pending");
        });
    }

    /** web-ui has no database and no Kafka; only the gateway reaches it; its replicas share one CSRF key. */
    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void theWebInterfaceIsReachedOnlyThroughTheGateway(String overlay) {
        List<Map<String, Object>> objects = render(overlay);
        Map<String, Object> workload = find(objects, "Deployment", "web-ui");
        Map<String, Object> container = containers(workload).get(0);
        assertThat(probePath(container, "readinessProbe")).isEqualTo("/q/health/ready");
        assertThat(probePath(container, "livenessProbe")).isEqualTo("/q/health/live");
        assertThat(list(container.get("ports"))).extracting(p -> map(p).get("containerPort")).containsExactly(8085);
        Map<String, Object> env = env(container);
        assertThat(env).doesNotContainKeys("QUARKUS_DATASOURCE_REACTIVE_URL", "QUARKUS_DATASOURCE_PASSWORD");
        assertThat(secretName(env.get("SHOAL_WEB_CSRF_KEY"))).isEqualTo("shoal-web");
        assertThat(podLabels(workload)).containsEntry("shoal.dev/tier", "app").doesNotContainKey("shoal.dev/postgres-client")
                .doesNotContainKey("shoal.dev/kafka-client");
        find(objects, "Service", "web-ui");
        find(objects, "PodDisruptionBudget", "web-ui");
        Map<String, Object> spec = map(find(objects, "NetworkPolicy", "web-ui-from-gateway").get("spec"));
        Map<String, Object> from = map(list(spec.get("ingress")).get(0));
        assertThat(list(from.get("from"))).extracting(f -> map(map(map(f).get("podSelector")).get("matchLabels")).get("shoal.dev/role"))
                .containsExactly("gateway");
        assertThat(map(find(objects, "ConfigMap", "shoal-config").get("data")).get("SHOAL_SERVICES_WEB_URL"))
                .isEqualTo("http://web-ui:8085");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void onlyTheGatewayIsExposedAndNetworkPoliciesGuardTheRest(String overlay) {
        List<Map<String, Object>> objects = render(overlay);
        List<Map<String, Object>> ingresses = ofKinds(objects, "Ingress");
        assertThat(ingresses).singleElement().satisfies(ingress -> assertThat(backends(ingress)).containsOnly("api-gateway"));

        Map<String, Object> deny = find(objects, "NetworkPolicy", "shoal-default-deny");
        assertThat(map(deny.get("spec")).get("ingress")).isNull();
        for (String service : SERVICES) {
            assertThat(podLabels(find(objects, kindOf(service), service))).as(service + " is under the default deny")
                    .containsEntry("shoal.dev/tier", "app");
        }
        for (String service : List.of("repo-service", "issue-service", "pipeline-service", "webhook-service")) {
            Map<String, Object> policy = find(objects, "NetworkPolicy", service + "-from-shoal");
            Map<String, Object> spec = map(policy.get("spec"));
            assertThat(map(map(spec.get("podSelector")).get("matchLabels"))).containsEntry("app.kubernetes.io/name", service);
            Map<String, Object> fromPods = map(list(spec.get("ingress")).get(0));
            assertThat(list(fromPods.get("from"))).extracting(f -> map(map(map(f).get("podSelector")).get("matchLabels")).get("shoal.dev/role"))
                    .containsExactlyInAnyOrder("gateway", "service");
            assertThat(list(fromPods.get("ports"))).extracting(p -> map(p).get("port")).containsExactly(PORTS.get(service));
        }
        assertThat(podLabels(find(objects, "Deployment", "api-gateway"))).containsEntry("shoal.dev/role", "gateway");
        assertThat(podLabels(find(objects, "Deployment", "ci-agent"))).containsEntry("shoal.dev/role", "agent");
        find(objects, "NetworkPolicy", "shoal-pg");
        Map<String, Object> listener = map(list(map(map(find(objects, "Kafka", "shoal-kafka").get("spec")).get("kafka"))
                .get("listeners")).get(0));
        assertThat(listener.get("networkPolicyPeers")).as("Kafka listener limited to Shoal's processes").isNotNull();
    }

    @ParameterizedTest
    @CsvSource({"local, 1, 1, 1, 1", "production, 3, 3, 2, 3"})
    void kafkaAndPostgresAreSizedPerOverlay(String overlay, int brokers, int replication, int minIsr, int pgInstances) {
        List<Map<String, Object>> objects = render(overlay);
        Map<String, Object> kafka = find(objects, "Kafka", "shoal-kafka");
        assertThat(metadata(kafka).get("annotations").toString()).contains("strimzi.io/kraft=enabled", "strimzi.io/node-pools=enabled");
        Map<String, Object> config = map(map(map(kafka.get("spec")).get("kafka")).get("config"));
        assertThat(config).containsEntry("default.replication.factor", replication)
                .containsEntry("min.insync.replicas", minIsr);
        Map<String, Object> pool = find(objects, "KafkaNodePool", "dual");
        assertThat(map(pool.get("spec"))).containsEntry("replicas", brokers);
        assertThat(list(map(pool.get("spec")).get("roles"))).containsExactlyInAnyOrder("controller", "broker");
        List<Map<String, Object>> topics = ofKinds(objects, "KafkaTopic");
        assertThat(topics).extracting(t -> map(t.get("spec")).get("topicName"))
                .containsExactlyInAnyOrder("shoal.identity", "shoal.repo", "shoal.issue", "shoal.pipeline", "shoal.deadletter");
        for (Map<String, Object> topic : topics) {
            assertThat(map(topic.get("spec"))).containsEntry("replicas", replication);
            assertThat(map(map(topic.get("spec")).get("config"))).containsEntry("min.insync.replicas", minIsr);
        }
        Map<String, Object> cluster = find(objects, "Cluster", "shoal-pg");
        assertThat(map(cluster.get("spec"))).containsEntry("instances", pgInstances);
        Set<String> databases = new TreeSet<>();
        for (Map<String, Object> database : ofKinds(objects, "Database")) {
            assertThat(map(map(database.get("spec")).get("cluster")).get("name")).isEqualTo("shoal-pg");
            databases.add((String) map(database.get("spec")).get("name"));
        }
        assertThat(databases).containsExactly("shoal_gateway", "shoal_issue", "shoal_pipeline", "shoal_repo", "shoal_webhook");
        assertThat(map(find(objects, "ConfigMap", "shoal-config").get("data")))
                .containsEntry("SHOAL_KAFKA_REPLICATION_FACTOR", String.valueOf(replication));
    }

    private static List<Map<String, Object>> render(String overlay) {
        return Kustomize.build(K8S.resolve("overlays").resolve(overlay));
    }

    private static String kindOf(String service) {
        return service.equals("repo-service") ? "StatefulSet" : "Deployment";
    }

    private static List<Map<String, Object>> ofKinds(List<Map<String, Object>> objects, String... kinds) {
        Set<String> wanted = Set.of(kinds);
        return objects.stream().filter(o -> wanted.contains((String) o.get("kind"))).toList();
    }

    private static Map<String, Object> find(List<Map<String, Object>> objects, String kind, String name) {
        List<Map<String, Object>> found = objects.stream()
                .filter(o -> kind.equals(o.get("kind")) && name.equals(metadata(o).get("name"))).toList();
        assertThat(found).as(kind + "/" + name).hasSize(1);
        return found.get(0);
    }

    private static String name(Map<String, Object> object) {
        return (String) metadata(object).get("name");
    }

    private static Map<String, Object> podLabels(Map<String, Object> workload) {
        return map(metadata(map(map(workload.get("spec")).get("template"))).get("labels"));
    }

    private static String probePath(Map<String, Object> container, String probe) {
        return (String) map(map(container.get(probe)).get("httpGet")).get("path");
    }

    /** Env var name → literal value, or the valueFrom map. */
    private static Map<String, Object> env(Map<String, Object> container) {
        Map<String, Object> env = new java.util.LinkedHashMap<>();
        for (Object item : list(container.get("env"))) {
            Map<String, Object> var = map(item);
            env.put((String) var.get("name"), var.containsKey("value") ? var.get("value") : var.get("valueFrom"));
        }
        return env;
    }

    private static String secretName(Object valueFrom) {
        return (String) map(map(valueFrom).get("secretKeyRef")).get("name");
    }

    private static List<String> backends(Map<String, Object> ingress) {
        List<String> names = new ArrayList<>();
        for (Object rule : list(map(ingress.get("spec")).get("rules"))) {
            for (Object path : list(map(map(rule).get("http")).get("paths"))) {
                names.add((String) map(map(map(path).get("backend")).get("service")).get("name"));
            }
        }
        return names;
    }
}
