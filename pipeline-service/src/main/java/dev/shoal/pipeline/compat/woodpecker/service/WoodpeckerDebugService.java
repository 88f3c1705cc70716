package dev.shoal.pipeline.compat.woodpecker.service;

import dev.shoal.platform.error.ConflictException;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ServiceUnavailableException;
import dev.shoal.platform.error.ValidationException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * The JVM's answers to Woodpecker's {@code /api/debug/pprof/...} (site admins): a thread dump for
 * {@code goroutine}, a class histogram of the heap for {@code heap}, a Java Flight Recorder
 * recording of {@code seconds} (1-60, default 10) for {@code profile} (the "profile" settings) and
 * {@code trace} (the "default" settings), the command line for {@code cmdline} with the values of
 * secret-looking options hidden. One recording at a time; nothing runs on the event loop.
 */
@ApplicationScoped
public class WoodpeckerDebugService {

    /** What a profile answers: its bytes, their media type, and a file name when it is a download. */
    public record Profile(byte[] body, String mediaType, String fileName) {
    }

    public static final List<String> PROFILES = List.of("goroutine", "heap", "profile", "trace", "cmdline");
    static final int MAX_SECONDS = 60;
    private static final Pattern SECRET = Pattern.compile("(?i)(secret|password|passwd|token|key|credential)");

    private final AtomicBoolean recording = new AtomicBoolean();

    public Uni<Profile> profile(String name, String seconds) {
        return switch (name) {
            case "goroutine" -> onWorker(() -> text(threadDump()));
            case "heap" -> onWorker(() -> text(heapHistogram()));
            case "cmdline" -> Uni.createFrom().item(text(String.join("\n", commandLine()) + "\n"));
            case "profile" -> record("profile", parseSeconds(seconds));
            case "trace" -> record("default", parseSeconds(seconds));
            default -> throw new NotFoundException("profile '" + (name.length() > 40 ? name.substring(0, 40) + "…" : name)
                    + "' is not served: this server is a JVM; ask for one of " + String.join(", ", PROFILES));
        };
    }

    static int parseSeconds(String raw) {
        if (raw == null || raw.isBlank()) {
            return 10;
        }
        try {
            int s = Integer.parseInt(raw.trim());
            if (s >= 1 && s <= MAX_SECONDS) {
                return s;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ValidationException("seconds must be a whole number from 1 to " + MAX_SECONDS);
    }

    private Uni<Profile> record(String settings, int seconds) {
        if (!recording.compareAndSet(false, true)) {
            throw new ConflictException("a recording is already running; try again when it has finished");
        }
        Recording rec;
        try {
            rec = new Recording(Configuration.getConfiguration(settings));
            rec.setName("woodpecker-pprof-" + settings);
            rec.start();
        } catch (IOException | ParseException | RuntimeException e) {
            recording.set(false);
            throw new ServiceUnavailableException("Java Flight Recorder cannot record here: " + e.getMessage());
        }
        return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofSeconds(seconds))
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(ignored -> {
                    Path file = null;
                    try {
                        rec.stop();
                        file = Files.createTempFile("shoal-pprof-", ".jfr");
                        rec.dump(file);
                        return new Profile(Files.readAllBytes(file), "application/octet-stream", settings.equals("profile")
                                ? "profile.jfr" : "trace.jfr");
                    } catch (IOException e) {
                        throw new ServiceUnavailableException("the recording could not be written: " + e.getMessage());
                    } finally {
                        rec.close();
                        if (file != null) {
                            file.toFile().delete();
                        }
                    }
                })
                .onTermination().invoke(() -> recording.set(false));
    }

    private static Uni<Profile> onWorker(java.util.function.Supplier<Profile> work) {
        return Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private static Profile text(String body) {
        return new Profile(body.getBytes(java.nio.charset.StandardCharsets.UTF_8), "text/plain;charset=UTF-8", null);
    }

    static String threadDump() {
        StringBuilder out = new StringBuilder();
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true, Integer.MAX_VALUE)) {
            out.append('"').append(info.getThreadName()).append("\" #").append(info.getThreadId())
                    .append(info.isDaemon() ? " daemon" : "").append(" ").append(info.getThreadState()).append('\n');
            for (StackTraceElement frame : info.getStackTrace()) {
                out.append("\tat ").append(frame).append('\n');
            }
            out.append('\n');
        }
        return out.toString();
    }

    static String heapHistogram() {
        try {
            Object answer = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            return String.valueOf(answer);
        } catch (JMException e) {
            throw new ServiceUnavailableException("this JVM gives no heap histogram: " + e.getMessage());
        }
    }

    /** The JVM's command line: main command and options, values of secret-looking options hidden. */
    static List<String> commandLine() {
        List<String> out = new ArrayList<>();
        out.add(System.getProperty("java.home") + "/bin/java");
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            out.add(hide(arg));
        }
        String command = System.getProperty("sun.java.command", "");
        for (String part : command.split(" ")) {
            if (!part.isEmpty()) {
                out.add(hide(part));
            }
        }
        return out;
    }

    static String hide(String arg) {
        int eq = arg.indexOf('=');
        return eq > 0 && SECRET.matcher(arg.substring(0, eq)).find() ? arg.substring(0, eq + 1) + "********" : arg;
    }
}
