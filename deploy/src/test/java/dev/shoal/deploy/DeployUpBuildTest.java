package dev.shoal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/up}'s choice to build, on a copy of the scripts in a checkout of empty modules: the
 * Maven there only counts its runs and, as the real jar plugin does for a jar whose contents did
 * not change, leaves every jar that exists as it was. The JVM is a script that fails, so
 * {@code deploy/up} stops right after the build step.
 */
class DeployUpBuildTest {

    private static final List<String> MODULES = List.of("api-gateway", "repo-service", "issue-service",
            "pipeline-service", "webhook-service", "web-ui", "ci-agent", "deploy", "platform", "platform-testing");
    private static final List<String> JARS = List.of("deploy/target/deploy.jar", "ci-agent/target/ci-agent.jar",
            "api-gateway/target/quarkus-app/quarkus-run.jar", "repo-service/target/quarkus-app/quarkus-run.jar",
            "issue-service/target/quarkus-app/quarkus-run.jar", "pipeline-service/target/quarkus-app/quarkus-run.jar",
            "webhook-service/target/quarkus-app/quarkus-run.jar", "web-ui/target/quarkus-app/quarkus-run.jar");

    private final Path source = Path.of(System.getProperty("shoal.root", "..")).toAbsolutePath().normalize();

    @TempDir
    Path root;

    @BeforeEach
    void checkout() throws IOException {
        Files.createDirectories(root.resolve("deploy"));
        for (String script : List.of("deploy/up", "deploy/shoal-env.sh")) {
            Files.copy(source.resolve(script), root.resolve(script));
        }
        for (String module : MODULES) {
            Files.createDirectories(root.resolve(module).resolve("src/main/java"));
            Files.writeString(root.resolve(module).resolve("pom.xml"), "<project/>");
        }
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        executable(root.resolve("mvnw"), "#!/usr/bin/env bash\necho run >>\"$(dirname \"$0\")/maven-runs\"\n"
                + "for jar in " + String.join(" ", JARS) + "; do\n"
                + "  [[ -f \"$jar\" ]] || { mkdir -p \"$(dirname \"$jar\")\"; touch \"$jar\"; }\ndone\n");
        executable(root.resolve("jdk/bin/java"), "#!/bin/sh\nexit 3\n");
    }

    @Test
    void buildsOnceForAChangedSourceThoughMavenLeavesTheUnchangedJarsAsTheyWere() throws Exception {
        assertThat(upBuilds()).as("the first start, nothing packaged").isTrue();
        Instant longAgo = Instant.now().minus(Duration.ofHours(2));
        // As if that build had packaged the jars two hours ago and a platform source changed an hour later.
        for (String jar : JARS) {
            Files.setLastModifiedTime(root.resolve(jar), FileTime.from(longAgo));
        }
        Path buildMark = root.resolve("deploy/target/built-by-deploy-up");
        if (Files.exists(buildMark)) {
            Files.setLastModifiedTime(buildMark, FileTime.from(longAgo));
        }
        Path platformSource = root.resolve("platform/src/main/java/Shared.java");
        Files.writeString(platformSource, "class Shared {}");
        Files.setLastModifiedTime(platformSource, FileTime.from(longAgo.plus(Duration.ofHours(1))));

        assertThat(upBuilds()).as("a platform source newer than every jar").isTrue();
        assertThat(upBuilds()).as("the next start: that source was built, though no jar changed").isFalse();
        assertThat(upBuilds()).as("and the one after").isFalse();

        Files.setLastModifiedTime(platformSource, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(upBuilds()).as("the source saved again").isTrue();
        assertThat(Files.readAllLines(root.resolve("maven-runs"))).hasSize(3);
    }

    @Test
    void aSourceOfOneServiceNewerThanItsJarBuilds() throws Exception {
        assertThat(upBuilds()).isTrue();
        assertThat(upBuilds()).isFalse();
        Path serviceSource = root.resolve("web-ui/src/main/java/Page.java");
        Files.writeString(serviceSource, "class Page {}");
        Files.setLastModifiedTime(serviceSource, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(upBuilds()).isTrue();
    }

    /** Runs deploy/up once; whether it ran Maven. */
    private boolean upBuilds() throws IOException, InterruptedException {
        Path runs = root.resolve("maven-runs");
        long before = Files.exists(runs) ? Files.readAllLines(runs).size() : 0;
        ProcessBuilder builder = new ProcessBuilder("bash", root.resolve("deploy/up").toString())
                .directory(root.toFile()).redirectErrorStream(true);
        builder.environment().put("SHOAL_HOME", root.resolve("home").toString());
        builder.environment().put("JAVA_HOME", root.resolve("jdk").toString());
        builder.environment().put("SHOAL_AGENT_BWRAP", "/bin/true");
        builder.environment().put("SHOAL_AGENT_SANDBOX_NETWORK", "none");
        builder.environment().remove("SHOAL_BUILD");
        Process up = builder.start();
        String output = new String(up.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(up.waitFor(60, TimeUnit.SECONDS)).as("deploy/up ended").isTrue();
        assertThat(up.exitValue()).as("deploy/up ends with the JVM's status: %s", output).isEqualTo(3);
        long after = Files.exists(runs) ? Files.readAllLines(runs).size() : 0;
        assertThat(output.contains("Building Shoal")).as(output).isEqualTo(after > before);
        return after > before;
    }

    private static void executable(Path file, String script) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, script);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
