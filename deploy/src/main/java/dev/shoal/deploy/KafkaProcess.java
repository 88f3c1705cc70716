package dev.shoal.deploy;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node KRaft Kafka broker as its own process ({@code kafka.Kafka} from the launcher's
 * classpath), so it can be stopped or killed alone. Its log directory lives under
 * {@code SHOAL_HOME/kafka/data} and is formatted once.
 */
final class KafkaProcess {

    static final String NAME = "kafka";

    private final LauncherSettings settings;
    private final RunFiles files;

    KafkaProcess(LauncherSettings settings, RunFiles files) {
        this.settings = settings;
        this.files = files;
    }

    Process start(ProcessSupervisor supervisor, String javaBin) {
        Path config = writeConfig();
        formatOnce();
        List<String> command = new ArrayList<>(List.of(javaBin,
                "-Xms128m", "-Xmx512m", "-XX:+ExitOnOutOfMemoryError",
                "-Dshoal.home=" + settings.home(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
                "-cp", System.getProperty("java.class.path"),
                "kafka.Kafka", config.toString()));
        return supervisor.start(NAME, command, Map.of());
    }

    /** Returns once the broker answers a metadata request; fails if it exits or the deadline passes. */
    void awaitReady(Process process, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafkaBootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        try (Admin admin = Admin.create(props)) {
            while (true) {
                if (!process.isAlive()) {
                    throw new LaunchFailure("Kafka exited with code " + process.exitValue() + ". Last lines of "
                            + files.log(NAME) + ":\n" + files.tail(files.log(NAME), 40));
                }
                try {
                    if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    // not up yet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LaunchFailure("interrupted while waiting for Kafka");
                }
                if (System.nanoTime() > deadline) {
                    throw new LaunchFailure("Kafka did not answer on " + settings.kafkaBootstrapServers() + " within "
                            + timeout.toSeconds() + " s. Last lines of " + files.log(NAME) + ":\n"
                            + files.tail(files.log(NAME), 40));
                }
                ReadinessProbe.sleep(Duration.ofMillis(300));
            }
        }
    }

    private Path dataDir() {
        return files.kafkaDir().resolve("data");
    }

    private Path writeConfig() {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@localhost:" + settings.kafkaControllerPort());
        props.put("listeners", "PLAINTEXT://localhost:" + settings.kafkaPort()
                + ",CONTROLLER://localhost:" + settings.kafkaControllerPort());
        props.put("advertised.listeners", "PLAINTEXT://localhost:" + settings.kafkaPort());
        props.put("controller.listener.names", "CONTROLLER");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", dataDir().toString());
        props.put("metadata.log.dir", dataDir().toString());
        // One node: every internal topic has a single replica.
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "3");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("num.partitions", "3");
        props.put("auto.create.topics.enable", "true");
        Path file = files.kafkaDir().resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(file)) {
            props.store(out, "Written by the Shoal launcher on every start; edit LauncherSettings instead");
        } catch (IOException e) {
            throw new LaunchFailure("cannot write " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    private void formatOnce() {
        Path data = dataDir();
        if (Files.exists(data.resolve("meta.properties"))) {
            return;
        }
        try {
            Files.createDirectories(data);
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setClusterId(Uuid.randomUuid().toString())
                    .setNodeId(1)
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(data.toString())
                    .setDirectories(List.of(data.toString()))
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        } catch (Exception e) {
            throw new LaunchFailure("cannot format the Kafka log directory " + data + ": " + e.getMessage(), e);
        }
    }
}
