package dev.shoal.deploy;

import java.nio.file.Path;
import java.util.List;

/** One Quarkus service of the stack: its module, port and database (null: it has none, like web-ui). */
record ServiceSpec(String name, String module, int port, String database) {

    static List<ServiceSpec> all(LauncherSettings settings) {
        return List.of(
                new ServiceSpec("api-gateway", "api-gateway", settings.gatewayPort(), "shoal_gateway"),
                new ServiceSpec("repo-service", "repo-service", settings.repoPort(), "shoal_repo"),
                new ServiceSpec("issue-service", "issue-service", settings.issuePort(), "shoal_issue"),
                new ServiceSpec("pipeline-service", "pipeline-service", settings.pipelinePort(), "shoal_pipeline"),
                new ServiceSpec("webhook-service", "webhook-service", settings.webhookPort(), "shoal_webhook"),
                new ServiceSpec("web-ui", "web-ui", settings.webPort(), null));
    }

    Path jar(Path root) {
        return root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    String url() {
        return "http://localhost:" + port;
    }

    boolean hasDatabase() {
        return database != null;
    }

    boolean isWebUi() {
        return name.equals("web-ui");
    }

    boolean isGateway() {
        return name.equals("api-gateway");
    }
}
