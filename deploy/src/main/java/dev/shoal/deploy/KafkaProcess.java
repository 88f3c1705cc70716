package dev.shoal.deploy;

import dev.shoal.platform.testing.KafkaBroker;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A single-node KRaft Kafka broker as its own process ({@code kafka.Kafka} from the launcher's
 * classpath), so it can be stopped or killed alone. Its log directory lives under
 * {@code SHOAL_HOME/kafka/data} and is formatted once.
 */
final class KafkaProcess {

    static final String NAME = "kafka";
    private static final short API_VERSIONS = 18;
    private static final int CORRELATION_ID = 1;

    private final LauncherSettings settings;
    private final RunFiles files;
    private final ClassDataArchives archives;

    KafkaProcess(LauncherSettings settings, RunFiles files, ClassDataArchives archives) {
        this.settings = settings;
        this.files = files;
        this.archives = archives;
    }

    Process start(ProcessSupervisor supervisor, String javaBin) {
        Path config = writeConfig();
        formatOnce();
        List<String> command = new ArrayList<>();
        command.add(javaBin);
        command.addAll(settings.kafkaJavaOptions());
        String classPath = System.getProperty("java.class.path");
        command.addAll(archives.options(NAME, Arrays.stream(classPath.split(File.pathSeparator)).map(Path::of).toList()));
        command.addAll(List.of(
                "-Dshoal.home=" + settings.home(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
                "-cp", classPath,
                "kafka.Kafka", config.toString()));
        return supervisor.start(NAME, command, Map.of());
    }

    /**
     * Returns once the broker answers an ApiVersions request on its client port; fails if it exits
     * or the deadline passes. The request is written by hand (ten bytes), not with Kafka's admin
     * client: that client loads about 1,300 classes into the launcher, which stay in its metaspace
     * for as long as the stack runs.
     */
    void awaitReady(Process process, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new LaunchFailure("Kafka exited with code " + process.exitValue() + ". Last lines of "
                        + files.log(NAME) + ":\n" + files.tail(files.log(NAME), 40));
            }
            if (answersApiVersions(settings.kafkaPort())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new LaunchFailure("Kafka did not answer on " + settings.kafkaBootstrapServers() + " within "
                        + timeout.toSeconds() + " s. Last lines of " + files.log(NAME) + ":\n"
                        + files.tail(files.log(NAME), 40));
            }
            ReadinessProbe.sleep(ReadinessProbe.POLL_INTERVAL);
        }
    }

    /**
     * Whether a broker on {@code port} answers an ApiVersions request (API key 18, version 0). The
     * broker binds its port early in its start and handles requests only once it has started, so
     * any answer (the versions, or an error naming the versions it supports) means it serves
     * clients. Request: size, API key, version, correlation id, a null client id; answer: size,
     * correlation id, then the body (not read).
     */
    static boolean answersApiVersions(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), 1000);
            socket.setSoTimeout(2000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(10);
            out.writeShort(API_VERSIONS);
            out.writeShort(0);
            out.writeInt(CORRELATION_ID);
            out.writeShort(-1);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            return in.readInt() >= 4 && in.readInt() == CORRELATION_ID;
        } catch (IOException e) {
            return false;
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
        // Kafka 4's group coordinator runs 4 event-processor threads by default; a handful of
        // consumer groups commit a few offsets a second.
        props.put("group.coordinator.threads", "1");
        // The log cleaner (compacted topics: consumer offsets) takes a 128 MiB dedupe buffer by
        // default, up front, on the heap: more than the whole heap this broker needs. 2 MiB dedupes
        // ~78,000 keys per pass (24 bytes a key, 90% full), far more than a local stack's offsets
        // topic holds (a key per consumer group and partition).
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
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
