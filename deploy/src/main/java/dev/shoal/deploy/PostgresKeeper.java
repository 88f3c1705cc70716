package dev.shoal.deploy;

import dev.shoal.platform.testing.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Keeps the stack's PostgreSQL running: starts it with its data in {@code pg/} on a fixed port and,
 * once the stack is up, starts it again on the same port and data directory when its postmaster
 * exits (stopped by an operator, killed, crashed), as an orchestrator would restart a database
 * pod. The services are not restarted: their reactive pools open new connections once the server
 * answers again. Like the other children, a server that dies more than 5 times a minute stays down.
 */
final class PostgresKeeper implements AutoCloseable {

    static final String NAME = "postgres";
    private static final Duration CHECK_INTERVAL = Duration.ofMillis(500);
    private static final Duration RESTART_DELAY = Duration.ofSeconds(1);
    /** After SIGKILL the old server's backends hold its shared memory for a moment: try again a few times. */
    private static final int START_ATTEMPTS = 10;
    private static final int MAX_CRASHES = 5;
    private static final Duration CRASH_WINDOW = Duration.ofMinutes(1);

    private final RunFiles files;
    private final int port;
    private final Map<String, String> config;
    private final Deque<Long> crashes = new ArrayDeque<>();
    private PostgresServer server;
    private long pid = -1;
    private boolean closed;
    private volatile boolean restarting = true;

    /** @param config server settings on the command line (max_connections, shared_buffers) */
    PostgresKeeper(RunFiles files, int port, Map<String, String> config) {
        this.files = files;
        this.port = port;
        this.config = Map.copyOf(config);
    }

    int port() {
        return port;
    }

    /** Starts the server and waits until it accepts connections. */
    synchronized void start() throws IOException {
        if (closed) {
            throw new LaunchFailure("stopped before PostgreSQL started");
        }
        server = PostgresServer.persistent(files.postgresData(), port, config);
        recordPid();
    }

    synchronized void ensureDatabase(String name) {
        server.ensureDatabase(name);
    }

    /** From now on a postmaster that exits is started again (called once the stack is ready). */
    void restartWhenItExits() {
        Thread watcher = new Thread(this::watch, "postgres-keeper");
        watcher.setDaemon(true);
        watcher.start();
    }

    private void watch() {
        while (true) {
            ReadinessProbe.sleep(CHECK_INTERVAL);
            long watched;
            synchronized (this) {
                if (closed) {
                    return;
                }
                watched = pid;
            }
            if (!restarting) {
                return;
            }
            if (watched < 0 || alive(watched)) {
                continue;
            }
            Launcher.say("PostgreSQL (pid " + watched + ") exited; starting it again on port " + port + " with data in "
                    + files.postgresData());
            if (tooManyCrashes()) {
                Launcher.say("PostgreSQL stopped " + crashes.size() + " times within " + CRASH_WINDOW.toSeconds()
                        + " s; it stays down (deploy/down, then deploy/up, once the cause is fixed)");
                return;
            }
            synchronized (this) {
                releaseDeadServer();
            }
            ReadinessProbe.sleep(RESTART_DELAY);
            if (!restart()) {
                return;
            }
        }
    }

    private boolean restart() {
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            synchronized (this) {
                if (closed) {
                    return false;
                }
                try {
                    server = PostgresServer.persistent(files.postgresData(), port, config);
                    recordPid();
                    Launcher.say("PostgreSQL restarted (pid " + pid + ")");
                    return true;
                } catch (IOException | RuntimeException e) {
                    Launcher.say("PostgreSQL did not start again yet (attempt " + attempt + " of " + START_ATTEMPTS + "): "
                            + e.getMessage());
                }
            }
            ReadinessProbe.sleep(Duration.ofSeconds(attempt));
        }
        Launcher.say("PostgreSQL did not start again; it stays down (see " + files.postgresData() + "/log)");
        return false;
    }

    private synchronized boolean tooManyCrashes() {
        long now = System.nanoTime();
        crashes.addLast(now);
        while (!crashes.isEmpty() && now - crashes.peekFirst() > CRASH_WINDOW.toNanos()) {
            crashes.removeFirst();
        }
        return crashes.size() > MAX_CRASHES;
    }

    /** The dead server's pg_ctl stop fails (nothing to stop) but its data-directory lock is released. */
    private void releaseDeadServer() {
        pid = -1;
        if (server != null) {
            try {
                server.close();
            } catch (RuntimeException e) {
                Launcher.say("note: releasing the stopped PostgreSQL: " + e.getMessage());
            }
            server = null;
        }
    }

    /** The postmaster's pid, from the file PostgreSQL itself writes, so deploy/down can find it. */
    private void recordPid() {
        try {
            String first = Files.readAllLines(files.postgresData().resolve("postmaster.pid")).get(0).strip();
            pid = Long.parseLong(first);
            files.writePid(NAME, pid);
        } catch (IOException | RuntimeException e) {
            pid = -1;
            Launcher.say("warning: cannot read PostgreSQL's pid: " + e.getMessage());
        }
    }

    /**
     * The postmaster is not our child (pg_ctl daemonizes it), so a dead one may linger as a zombie
     * until whoever adopted it reaps it: a zombie counts as exited.
     */
    private static boolean alive(long pid) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        Path stat = Path.of("/proc", String.valueOf(pid), "stat");
        try {
            if (Files.exists(stat)) {
                String text = Files.readString(stat);
                List<String> fields = List.of(text.substring(text.lastIndexOf(')') + 2).split(" "));
                return !fields.get(0).equals("Z");
            }
        } catch (IOException | RuntimeException e) {
            // gone between the two checks, or no procfs: trust the process handle
        }
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The stack is stopping: a server that exits from now on stays down. */
    void stopRestarting() {
        restarting = false;
    }

    /** Stops the server for good (the launcher is stopping). */
    @Override
    public void close() {
        long stopping;
        synchronized (this) {
            closed = true;
            stopping = pid;
            if (server != null) {
                server.close();
                server = null;
            }
            pid = -1;
        }
        if (stopping > 0 && alive(stopping)) {
            // The library's own message about a failed pg_ctl stop is silenced (see Launcher.main).
            Launcher.say("warning: PostgreSQL (pid " + stopping + ") is still running after pg_ctl stop");
            return;
        }
        files.removePid(NAME);
    }
}
