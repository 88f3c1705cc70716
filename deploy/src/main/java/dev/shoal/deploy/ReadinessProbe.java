package dev.shoal.deploy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Waits until every service answers {@code GET /q/health/ready} with 200. A service whose process
 * exits, or that is not ready by the deadline, fails the launch with the tail of its log.
 */
final class ReadinessProbe {

    /** A probe costs a service one cheap request; a service ready between two probes waits less than this. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private final RunFiles files;

    ReadinessProbe(RunFiles files) {
        this.files = files;
    }

    void awaitAll(List<ServiceSpec> services, Map<String, Process> processes, long startNanos, Duration timeout) {
        long deadline = startNanos + timeout.toNanos();
        List<ServiceSpec> waiting = new ArrayList<>(services);
        while (!waiting.isEmpty()) {
            for (ServiceSpec service : List.copyOf(waiting)) {
                Process process = processes.get(service.name());
                if (!process.isAlive()) {
                    throw new LaunchFailure(service.name() + " exited with code " + process.exitValue()
                            + " before it was ready. Last lines of " + files.log(service.name()) + ":\n"
                            + files.tail(files.log(service.name()), 40));
                }
                if (isReady(service)) {
                    waiting.remove(service);
                    Launcher.say(String.format("%s ready on %s (%.1f s)", service.name(), service.url(),
                            (System.nanoTime() - startNanos) / 1e9));
                }
            }
            if (waiting.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                ServiceSpec first = waiting.get(0);
                throw new LaunchFailure("not ready within " + timeout.toSeconds() + " s: "
                        + String.join(", ", waiting.stream().map(ServiceSpec::name).toList())
                        + ". Last lines of " + files.log(first.name()) + ":\n" + files.tail(files.log(first.name()), 40));
            }
            sleep(POLL_INTERVAL);
        }
    }

    boolean isReady(ServiceSpec service) {
        try {
            return LocalHttp.get(service.url() + "/q/health/ready", Duration.ofSeconds(1), Duration.ofSeconds(3)) == 200;
        } catch (IOException e) {
            return false;
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchFailure("interrupted");
        }
    }
}
