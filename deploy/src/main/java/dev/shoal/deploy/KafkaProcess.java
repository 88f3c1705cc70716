package dev.shoal.deploy;

import dev.shoal.platform.testing.KafkaBroker;

import java.io.IOException;
import java.io.OutputStream;
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
        List<String> command = new ArrayList<>();
        command.add(javaBin);
        command.addAll(settings.kafkaJavaOptions());
        command.addAll(List.of(
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
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, "50");
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200");
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
                ReadinessProbe.sleep(ReadinessProbe.POLL_INTERVAL);
            }
        }
    }

    private Path dataDir() {
        return files.kafkaDir().resolve("data");
    }

    private Path writeConfig() {
        Properties props = KafkaBroker.singleNodeConfig(dataDir(), settings.kafkaPort(), settings.kafkaControllerPort());
        // Thread pools for 2 cores and a few clients, not Kafka's defaults for a cluster member
        // (3 network threads per listener, 8 I/O and 10 background threads, each with its own buffers).
        props.put("num.network.threads", "1");
        props.put("num.io.threads", "2");
        props.put("background.threads", "2");
        props.put("num.recovery.threads.per.data.dir", "1");
        // The log cleaner (compacted topics: consumer offsets) takes a 128 MiB dedupe buffer by
        // default, up front: more than the whole heap this broker needs. 8 MiB dedupes ~250,000
        // keys per pass, far more than a local stack's offsets topic holds.
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
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
        try {
            KafkaBroker.formatOnce(data);
        } catch (Exception e) {
            throw new LaunchFailure("cannot format the Kafka log directory " + data + ": " + e.getMessage(), e);
        }
    }
}
