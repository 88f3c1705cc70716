package dev.shoal.deploy;

import dev.shoal.platform.testing.FreePorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the whole Shoal stack on one machine: an embedded PostgreSQL (in this JVM's care), a KRaft
 * Kafka broker, every service and one CI agent as child processes. It writes SHOAL_HOME/ready (or
 * SHOAL_HOME/failed with the reason) once the stack is up, which is what {@code deploy/up --detach}
 * waits for, and stops everything in reverse order when it receives SIGTERM or SIGINT.
 *
 * <p>Usage: {@code java -cp 'deploy/target/deploy.jar:deploy/target/lib/*' dev.shoal.deploy.Launcher
 * --root <checkout> --home <SHOAL_HOME> [--detach]}; normally through {@code deploy/up}.
 */
public final class Launcher {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final String AGENT = "ci-agent";
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration AGENT_SETTLE = Duration.ofSeconds(1);

    private final LauncherSettings settings;
    private final RunFiles files;
    private final ProcessSupervisor supervisor;
    private final LocalSecrets secrets;
    private final ClassDataArchives archives;
    private final String javaBin = ProcessHandle.current().info().command().orElse("java");
    private final Object lifecycle = new Object();
    private PostgresKeeper postgres;
    private boolean stopped;

    Launcher(LauncherSettings settings) {
        this.settings = settings;
        this.files = new RunFiles(settings.home());
        this.supervisor = new ProcessSupervisor(files, settings.home());
        this.secrets = new LocalSecrets(files);
        this.archives = new ClassDataArchives(files.classDataArchives(), settings.classDataSharing());
    }

    public static void main(String[] args) {
        // The launcher's own libraries (embedded PostgreSQL, the Kafka admin client) are chatty at INFO.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        // The readiness check's admin client warns on every refused connection while Kafka boots.
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
        // Releasing a PostgreSQL that already exited runs a pg_ctl stop that must fail; the library
        // logs that with a stack trace. PostgresKeeper says what happened in one line instead.
        System.setProperty("org.slf4j.simpleLogger.log.io.zonky.test.db.postgres.embedded.EmbeddedPostgres", "off");
        Path root = null;
        Path home = null;
        boolean detached = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--root" -> root = Path.of(args[++i]);
                case "--home" -> home = Path.of(args[++i]);
                case "--detach" -> detached = true;
                default -> {
                    System.err.println("unknown argument " + args[i] + "; usage: Launcher --root DIR --home DIR [--detach]");
                    System.exit(2);
                }
            }
        }
        if (root == null || home == null) {
            System.err.println("usage: Launcher --root DIR --home DIR [--detach]");
            System.exit(2);
        }
        RunFiles files = new RunFiles(home.toAbsolutePath().normalize());
        try {
            new Launcher(LauncherSettings.from(System.getenv(), root, home, detached)).run();
        } catch (LaunchFailure e) {
            say("cannot start Shoal: " + e.getMessage());
            try {
                files.writeText(files.failed(), e.getMessage() + "\n");
            } catch (RuntimeException ignored) {
                // the message is already on the console and in the launcher log
            }
            // Exiting runs the shutdown hook, which stops whatever had started.
            System.exit(1);
        } catch (RuntimeException e) {
            e.printStackTrace();
            try {
                files.writeText(files.failed(), "unexpected error in the launcher: " + e + "\n");
            } catch (RuntimeException ignored) {
                // the stack trace is already in the launcher log
            }
            System.exit(1);
        }
    }

    static void say(String line) {
        System.out.println(LocalTime.now().format(CLOCK) + " [shoal] " + line);
        System.out.flush();
    }

    private void run() {
        long start = System.nanoTime();
        files.createDirectories();
        files.delete(files.ready());
        files.delete(files.failed());
        stopLeftovers();
        files.writePid("launcher", ProcessHandle.current().pid());
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopEverything, "shoal-shutdown"));

        List<ServiceSpec> services = buildServices();
        checkPortsFree(services);
        secrets.ensure();

        // Nothing waits for what it does not need: Kafka boots in its own process while PostgreSQL
        // starts here, and the services start as soon as their databases exist (Flyway needs them
        // at boot; their Kafka clients connect in the background once the broker answers). Their
        // readiness (which includes Kafka) is probed once Kafka is up.
        KafkaProcess kafka = new KafkaProcess(settings, files, archives);
        Process kafkaProcess = kafka.start(supervisor, javaBin);
        int postgresPort = startPostgres();
        say(String.format("PostgreSQL on port %d (%.1f s)", postgresPort, (System.nanoTime() - start) / 1e9));

        boolean firstStart = !Files.exists(files.adminToken());
        String allowedHooks = System.getenv("SHOAL_WEBHOOK_ALLOWED_HOSTS");
        if (allowedHooks != null && !allowedHooks.isBlank()) {
            say("webhooks may also target " + allowedHooks + " (SHOAL_WEBHOOK_ALLOWED_HOSTS)");
        }
        long servicesStart = System.nanoTime();
        Map<String, Process> processes = new LinkedHashMap<>();
        for (ServiceSpec service : services) {
            processes.put(service.name(), supervisor.start(service.name(), serviceCommand(service),
                    serviceEnvironment(service, postgresPort)));
        }
        kafka.awaitReady(kafkaProcess, KAFKA_TIMEOUT);
        say(String.format("Kafka on %s (%.1f s)", settings.kafkaBootstrapServers(), (System.nanoTime() - start) / 1e9));
        new ReadinessProbe(files).awaitAll(services, processes, servicesStart, settings.readyTimeout());

        boolean gatewayRunning = services.stream().anyMatch(ServiceSpec::isGateway);
        Optional<String> adminToken = gatewayRunning ? awaitAdminToken() : Optional.empty();
        boolean agentRunning = startAgent(adminToken);
        boolean webRunning = gatewayRunning && services.stream().anyMatch(ServiceSpec::isWebUi);
        if (webRunning && adminToken.isPresent()) {
            new AdminPassword(files).ensure(settings.gatewayUrl(), adminToken.get());
        }

        String summary = summary(services, adminToken, firstStart, gatewayRunning, agentRunning,
                (System.nanoTime() - start) / 1e9);
        files.writeSecret(files.runEnv(), runEnv(postgresPort, adminToken));
        // The summary can hold the admin token: only its owner may read the marker, and in the
        // background it is deploy/up that prints it, not the launcher's log.
        files.writeSecret(files.ready(), summary);
        supervisor.restartCrashedChildren();
        postgres.restartWhenItExits();
        // From here on the launcher only supervises: a full collection gives the heap that start-up
        // grew (embedded PostgreSQL's archive, the Kafka admin client) back to the system.
        System.gc();
        if (!settings.detached()) {
            System.out.print(summary);
            System.out.flush();
        }
        waitForever();
    }

    /** The services whose application is built; a module not packaged yet is skipped with a message. */
    private List<ServiceSpec> buildServices() {
        List<ServiceSpec> built = new ArrayList<>();
        for (ServiceSpec service : ServiceSpec.all(settings)) {
            if (Files.isRegularFile(service.jar(settings.root()))) {
                built.add(service);
            } else {
                say(service.name() + " is not built (no " + settings.root().relativize(service.jar(settings.root()))
                        + "): not started");
            }
        }
        if (built.isEmpty()) {
            throw new LaunchFailure("no service is built; run ./mvnw -DskipTests package first");
        }
        return built;
    }

    private void checkPortsFree(List<ServiceSpec> services) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        services.forEach(s -> ports.put(s.name() + " (" + portVariable(s) + ")", s.port()));
        if (services.stream().anyMatch(s -> s.name().equals("repo-service"))) {
            ports.put("git over SSH in repo-service (SHOAL_SSH_PORT)", settings.sshPort());
        }
        ports.put("Kafka (SHOAL_KAFKA_PORT)", settings.kafkaPort());
        ports.put("the Kafka controller (SHOAL_KAFKA_CONTROLLER_PORT)", settings.kafkaControllerPort());
        if (settings.postgresPort() != 0) {
            ports.put("PostgreSQL (SHOAL_PG_PORT)", settings.postgresPort());
        }
        for (Map.Entry<String, Integer> entry : ports.entrySet()) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(entry.getValue()));
            } catch (IOException e) {
                throw new LaunchFailure("port " + entry.getValue() + " for " + entry.getKey()
                        + " is in use; stop what uses it or choose another port with that variable");
            }
        }
    }

    private static String portVariable(ServiceSpec service) {
        return switch (service.name()) {
            case "api-gateway" -> "SHOAL_PORT";
            case "repo-service" -> "SHOAL_REPO_PORT";
            case "issue-service" -> "SHOAL_ISSUE_PORT";
            case "pipeline-service" -> "SHOAL_PIPELINE_PORT";
            case "web-ui" -> "SHOAL_WEB_PORT";
            default -> "SHOAL_WEBHOOK_PORT";
        };
    }

    private int startPostgres() {
        int port = settings.postgresPort() != 0 ? settings.postgresPort() : FreePorts.next();
        PostgresKeeper keeper = new PostgresKeeper(files, port, settings.postgresConfig());
        synchronized (lifecycle) {
            if (stopped) {
                throw new LaunchFailure("stopped before PostgreSQL started");
            }
            postgres = keeper;
        }
        try {
            keeper.start();
        } catch (IOException | RuntimeException e) {
            throw new LaunchFailure("PostgreSQL did not start with data in " + files.postgresData() + ": "
                    + e.getMessage(), e);
        }
        for (ServiceSpec service : ServiceSpec.all(settings)) {
            if (service.hasDatabase()) {
                keeper.ensureDatabase(service.database());
            }
        }
        return port;
    }

    private List<String> serviceCommand(ServiceSpec service) {
        List<String> command = new ArrayList<>();
        command.add(javaBin);
        command.addAll(settings.javaOptions(service.name()));
        Path app = service.jar(settings.root()).getParent();
        command.addAll(archives.options(service.name(), List.of(app.resolve("quarkus-run.jar"),
                app.resolve("quarkus/quarkus-application.dat"))));
        command.add("-Dshoal.home=" + settings.home());
        command.add("-jar");
        command.add(service.jar(settings.root()).toString());
        return command;
    }

    private List<String> agentCommand(Path jar) {
        List<String> command = new ArrayList<>();
        command.add(javaBin);
        command.addAll(settings.agentJavaOptions());
        command.addAll(archives.options(AGENT, List.of(jar)));
        command.addAll(List.of("-Dshoal.home=" + settings.home(), "-jar", jar.toString()));
        return command;
    }

    private Map<String, String> serviceEnvironment(ServiceSpec service, int postgresPort) {
        Map<String, String> env = new LinkedHashMap<>();
        String database = "localhost:" + postgresPort + "/" + service.database();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(service.port()));
        // Clients reach the gateway only; the services behind it listen on loopback, which sandboxed CI
        // steps cannot reach (their network has no way to this machine's 127.0.0.1).
        if (!service.name().equals("api-gateway")) {
            env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        }
        if (service.hasDatabase()) {
            env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://" + database);
            env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://" + database);
            env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
            env.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        }
        env.putAll(settings.serviceEnvironmentDefaults());
        env.put("SHOAL_KAFKA_BOOTSTRAP_SERVERS", settings.kafkaBootstrapServers());
        // each process its own private key and the directory of public keys (ADR 0006)
        env.put("SHOAL_INTERNAL_JWT_PUBLIC_KEYS_DIR", secrets.publicKeys().toString());
        env.put("SHOAL_INTERNAL_JWT_PRIVATE_KEY_LOCATION", secrets.privateKey(service.name()).toString());
        for (ServiceSpec other : ServiceSpec.all(settings)) {
            String key = other.isGateway() ? "GATEWAY" : other.isWebUi() ? "WEB" : other.name().replace("-service", "").toUpperCase();
            env.put("SHOAL_SERVICES_" + key + "_URL", other.url());
        }
        env.put("SHOAL_PUBLIC_URL", settings.gatewayUrl());
        env.put("SHOAL_REPO_STORAGE", files.repos().toString());
        // git over SSH: repo-service listens there (host key under SHOAL_HOME/keys); the others show it in ssh_url
        env.put("SHOAL_SSH_PORT", String.valueOf(settings.sshPort()));
        env.put("SHOAL_SSH_KEY_DIR", settings.home().resolve("keys").toString());
        env.put("SHOAL_PIPELINE_SECRET_KEY", secrets.pipelineSecretKey());
        // seals Code Storage git credentials (repo-service); without it their endpoints answer 503
        env.put("SHOAL_REPO_STORAGE_CREDENTIAL_KEY", secrets.credentialKey());
        // Without it webhook-service keeps hook secrets in plain text, in PostgreSQL's files and WAL.
        env.put("SHOAL_WEBHOOK_SECRET_KEY", secrets.webhookSecretKey());
        // Services log JSON in the prod profile; the local logs under SHOAL_HOME/logs are for people
        // (SHOAL_LOG_JSON=true keeps JSON, e.g. to feed a local log collector).
        env.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", System.getenv().getOrDefault("SHOAL_LOG_JSON", "false"));
        if (service.isGateway()) {
            env.put("SHOAL_GATEWAY_ADMIN_TOKEN_FILE", files.adminToken().toString());
            settings.adminToken().ifPresent(token -> env.put("SHOAL_GATEWAY_ADMIN_TOKEN", token));
        }
        return env;
    }

    /** The gateway writes the admin token when it first starts; give it a moment after readiness. */
    private Optional<String> awaitAdminToken() {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> token = files.readSecret(files.adminToken());
            if (token.isPresent()) {
                return token;
            }
            ReadinessProbe.sleep(ReadinessProbe.POLL_INTERVAL);
        }
        say("warning: the gateway wrote no admin token to " + files.adminToken());
        return Optional.empty();
    }

    private boolean startAgent(Optional<String> adminToken) {
        Path jar = settings.root().resolve("ci-agent/target/ci-agent.jar");
        if (!Files.isRegularFile(jar)) {
            say("the CI agent is not built (no ci-agent/target/ci-agent.jar): not started");
            return false;
        }
        if (adminToken.isEmpty()) {
            say("warning: no admin token to register the CI agent with: not started");
            return false;
        }
        Optional<String> agentToken = new AgentRegistration(files).token(settings.gatewayUrl(), adminToken.get());
        if (agentToken.isEmpty()) {
            say("warning: starting without the CI agent; pipelines will wait in the queue");
            return false;
        }
        Path workdir = settings.agentWorkdir();
        files.createPrivateDirectory(workdir);
        Process agent = supervisor.start(AGENT, agentCommand(jar),
                agentEnvironment(System.getenv(), settings.gatewayUrl(), files.agentToken(), workdir), false);
        // The agent has no health endpoint: it polls. Alive a second after it was started means it
        // got past reading its settings (a bad setting ends it at once).
        ReadinessProbe.sleep(AGENT_SETTLE);
        if (!agent.isAlive()) {
            say("warning: the CI agent exited with code " + agent.exitValue() + "; last lines of "
                    + files.log(AGENT) + ":\n" + files.tail(files.log(AGENT), 20));
            return false;
        }
        say("CI agent started (work directory " + workdir + ")");
        return true;
    }

    /** What the agent inherits of the launcher's environment: the basics, and its own settings. */
    private static final java.util.Set<String> AGENT_PASSED = java.util.Set.of("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR",
            "USER", "DOCKER_HOST", "DOCKER_CONTEXT");

    /**
     * The agent's whole environment, built from nothing: its token as a file name (mode 600), never
     * as a value, and none of the launcher's other variables (SHOAL_ADMIN_TOKEN, service settings).
     */
    static Map<String, String> agentEnvironment(Map<String, String> launcherEnv, String url, Path tokenFile, Path workdir) {
        Map<String, String> env = new LinkedHashMap<>();
        launcherEnv.forEach((k, v) -> {
            if (AGENT_PASSED.contains(k) || (k.startsWith("SHOAL_AGENT_") && !k.equals("SHOAL_AGENT_TOKEN"))) {
                env.put(k, v);
            }
        });
        env.put("SHOAL_URL", url);
        env.put("SHOAL_AGENT_TOKEN_FILE", tokenFile.toString());
        env.put("SHOAL_AGENT_WORKDIR", workdir.toString());
        return env;
    }

    private String summary(List<ServiceSpec> services, Optional<String> adminToken, boolean firstStart,
            boolean gatewayRunning, boolean agentRunning, double seconds) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%nShoal is running (started in %.1f s).%n", seconds));
        out.append("  URL:          ").append(settings.gatewayUrl());
        out.append(gatewayRunning ? "\n" : "   (api-gateway is not built yet: nothing answers there)\n");
        if (gatewayRunning && services.stream().anyMatch(ServiceSpec::isWebUi)) {
            // people use the web interface through the gateway, which routes its pages to web-ui
            out.append("  Web:          ").append(settings.gatewayUrl()).append("/   (user admin, password in ")
                    .append(files.adminPassword()).append(")\n");
        }
        if (adminToken.isPresent() && firstStart) {
            out.append("  Admin token:  ").append(adminToken.get()).append("   (user admin; shown once, kept in ")
                    .append(files.adminToken()).append(")\n");
        } else if (adminToken.isPresent()) {
            out.append("  Admin token:  kept in ").append(files.adminToken()).append(" and ")
                    .append(files.runEnv()).append('\n');
        }
        if (services.stream().anyMatch(s -> s.name().equals("repo-service"))) {
            out.append("  Git over SSH: ").append("ssh://git@localhost:" + settings.sshPort() + "/ORG/REPO.git")
                    .append("   (add your key: POST /api/v1/user/keys)\n");
        }
        for (ServiceSpec service : services) {
            out.append(String.format("  %-17s %s%n", service.name(), service.url()));
        }
        out.append("  CI agent:     ").append(agentRunning ? "running" : "not running").append('\n');
        out.append("  Data:         ").append(settings.home()).append('\n');
        out.append("  Logs:         ").append(files.home().resolve("logs")).append('\n');
        out.append(settings.detached() ? "  Stop with deploy/down.\n" : "  Press Ctrl-C to stop.\n");
        return out.toString();
    }

    private String runEnv(int postgresPort, Optional<String> adminToken) {
        return "SHOAL_URL=" + settings.gatewayUrl() + "\n"
                + "SHOAL_ADMIN_TOKEN=" + adminToken.orElse("") + "\n"
                + "SHOAL_HOME=" + settings.home() + "\n"
                + "SHOAL_KAFKA_BOOTSTRAP_SERVERS=" + settings.kafkaBootstrapServers() + "\n"
                + "SHOAL_PG_PORT=" + postgresPort + "\n"
                + "SHOAL_SSH_PORT=" + settings.sshPort() + "\n";
    }

    /**
     * Processes recorded by a launcher that died without cleaning up (killed with SIGKILL, machine
     * suspended…) would hold the ports and the PostgreSQL data directory. Stop them first; the
     * command-line check makes sure a reused pid of an unrelated process is left alone.
     */
    private void stopLeftovers() {
        List<RunFiles.RecordedPid> leftovers = new ArrayList<>();
        for (RunFiles.RecordedPid recorded : files.recordedPids()) {
            Optional<ProcessHandle> handle = ProcessHandle.of(recorded.pid());
            boolean ours = handle.filter(ProcessHandle::isAlive)
                    .flatMap(h -> h.info().commandLine())
                    .filter(cmd -> cmd.contains(settings.home().toString()))
                    .isPresent();
            if (ours && recorded.pid() != ProcessHandle.current().pid()) {
                leftovers.add(recorded);
            } else {
                files.delete(recorded.file());
            }
        }
        // Services first, PostgreSQL last, as in a normal stop.
        leftovers.sort((a, b) -> Integer.compare(stopRank(a.name()), stopRank(b.name())));
        for (RunFiles.RecordedPid leftover : leftovers) {
            say("stopping " + leftover.name() + " (pid " + leftover.pid() + ") left by an earlier run");
            ProcessHandle.of(leftover.pid()).ifPresent(h -> {
                h.destroy();
                try {
                    h.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    h.destroyForcibly();
                }
            });
            files.delete(leftover.file());
        }
    }

    private static int stopRank(String name) {
        return switch (name) {
            case "launcher" -> 0;
            case KafkaProcess.NAME -> 2;
            case PostgresKeeper.NAME -> 3;
            default -> 1;
        };
    }

    private void stopEverything() {
        synchronized (lifecycle) {
            if (stopped) {
                return;
            }
            stopped = true;
        }
        say("stopping Shoal");
        files.delete(files.ready());
        synchronized (lifecycle) {
            if (postgres != null) {
                postgres.stopRestarting();
            }
        }
        // A JVM's first run writes its class-data archive as it exits, which takes longer.
        supervisor.stop(List.of(AGENT), archives.stopGrace(Duration.ofSeconds(10)));
        supervisor.stop(ServiceSpec.all(settings).stream().map(ServiceSpec::name).toList(), archives.stopGrace(Duration.ofSeconds(20)));
        supervisor.stop(List.of(KafkaProcess.NAME), archives.stopGrace(Duration.ofSeconds(30)));
        PostgresKeeper keeper;
        synchronized (lifecycle) {
            keeper = postgres;
        }
        if (keeper != null) {
            try {
                keeper.close();
            } catch (RuntimeException e) {
                say("warning: PostgreSQL did not stop cleanly: " + e.getMessage());
            }
        }
        files.removePid("launcher");
        say("stopped");
    }

    private static void waitForever() {
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
