package dev.shoal.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starts the child processes of the stack, sends each one's output to {@code logs/<name>.log},
 * records its pid in {@code pids/<name>.pid} (deploy/down and the next deploy/up rely on those
 * files), starts again a child that crashes once the stack is up, and stops them: SIGTERM, a
 * grace period, then SIGKILL.
 */
final class ProcessSupervisor {

    /**
     * Children run in their own session, so a Ctrl-C in the terminal reaches only the launcher,
     * which then stops them in order (services before Kafka before PostgreSQL). setsid execs in
     * place when its caller is not a group leader, which a ProcessBuilder child never is, so the
     * pid we record is the pid of the program itself.
     */
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final RunFiles files;
    private final Path workDir;
    /** A child that dies more often than this within {@link #CRASH_WINDOW} is left down, with a message. */
    private static final int MAX_CRASHES = 5;
    private static final Duration CRASH_WINDOW = Duration.ofMinutes(1);
    private static final Duration RESTART_DELAY = Duration.ofSeconds(1);

    private record Launch(List<String> command, Map<String, String> environment, boolean inherit) {
    }

    private final Map<String, Process> children = new LinkedHashMap<>();
    private final Map<String, Launch> launches = new LinkedHashMap<>();
    private final Map<String, Deque<Long>> crashes = new LinkedHashMap<>();
    private volatile boolean stopping;
    private volatile boolean restartCrashed;

    ProcessSupervisor(RunFiles files, Path workDir) {
        this.files = files;
        this.workDir = workDir;
    }

    /**
     * From now on a child that exits while the stack is not stopping is started again (after a
     * second), as an orchestrator would, unless it keeps crashing. Called once the stack is ready,
     * so that a service failing at boot is a launch failure rather than a restart loop.
     */
    void restartCrashedChildren() {
        restartCrashed = true;
    }

    synchronized Process start(String name, List<String> command, Map<String, String> environment) {
        return start(name, command, environment, true);
    }

    /**
     * @param inherit whether the child also gets the launcher's own environment (the services do;
     *                the CI agent gets only {@code environment}, nothing it could hand to a step)
     */
    synchronized Process start(String name, List<String> command, Map<String, String> environment, boolean inherit) {
        if (stopping) {
            throw new LaunchFailure("the launcher is stopping; " + name + " was not started");
        }
        Path log = files.log(name);
        rotate(log);
        List<String> full = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            full.add(SETSID.toString());
        }
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        if (!inherit) {
            builder.environment().clear();
        }
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            children.put(name, process);
            launches.put(name, new Launch(List.copyOf(command), Map.copyOf(environment), inherit));
            files.writePid(name, process.pid());
            process.onExit().thenAccept(p -> {
                if (!stopping) {
                    Launcher.say(name + " exited with code " + p.exitValue() + "; see " + log);
                    if (restartCrashed) {
                        restartLater(name, p);
                    }
                }
            });
            return process;
        } catch (IOException e) {
            throw new LaunchFailure("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    private void restartLater(String name, Process dead) {
        synchronized (this) {
            Deque<Long> recent = crashes.computeIfAbsent(name, n -> new ArrayDeque<>());
            long now = System.nanoTime();
            recent.addLast(now);
            while (!recent.isEmpty() && now - recent.peekFirst() > CRASH_WINDOW.toNanos()) {
                recent.removeFirst();
            }
            if (recent.size() > MAX_CRASHES) {
                Launcher.say(name + " crashed " + recent.size() + " times within " + CRASH_WINDOW.toSeconds()
                        + " s; it stays down (deploy/down, then deploy/up, once the cause is fixed)");
                return;
            }
        }
        CompletableFuture.delayedExecutor(RESTART_DELAY.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            synchronized (this) {
                if (stopping || children.get(name) != dead) {
                    return;
                }
                Launch launch = launches.get(name);
                Process fresh = start(name, launch.command(), launch.environment(), launch.inherit());
                Launcher.say(name + " restarted (pid " + fresh.pid() + "); the log of the run that ended is "
                        + files.log(name) + ".1");
            }
        });
    }

    /** Stops the named children together: SIGTERM to all, then wait, then SIGKILL the rest. */
    void stop(List<String> names, Duration grace) {
        stopping = true;
        List<Map.Entry<String, Process>> targets = new ArrayList<>();
        synchronized (this) {
            for (String name : names) {
                Process process = children.remove(name);
                if (process != null) {
                    targets.add(Map.entry(name, process));
                }
            }
        }
        for (Map.Entry<String, Process> target : targets) {
            target.getValue().destroy();
        }
        long deadline = System.nanoTime() + grace.toNanos();
        for (Map.Entry<String, Process> target : targets) {
            Process process = target.getValue();
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                if (!process.waitFor(left, TimeUnit.NANOSECONDS)) {
                    Launcher.say(target.getKey() + " did not stop within " + grace.toSeconds() + " s; killing it");
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            if (!process.isAlive()) {
                files.removePid(target.getKey());
            }
        }
    }

    /** Names of the children still running, oldest first. */
    synchronized List<String> running() {
        return children.entrySet().stream().filter(e -> e.getValue().isAlive()).map(Map.Entry::getKey).toList();
    }

    private static void rotate(Path log) {
        try {
            if (Files.exists(log)) {
                Files.move(log, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}
