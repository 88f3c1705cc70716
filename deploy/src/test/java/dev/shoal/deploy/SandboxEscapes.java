package dev.shoal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Issue 25 on the running stack: a pipeline pushed by someone who may push, whose steps try each
 * in its own way to take what the agent and the stack hold: the agent token (every process's
 * environment and command line, the token file), the internal JWT keys, the admin token,
 * another pipeline's workspace, the repositories, PostgreSQL's data, to kill or signal the
 * agent, and to connect to the stack's PostgreSQL (trust authentication), Kafka (no
 * authentication) and gateway on the machine's loopback. Every attempt must fail, no token may reach the stored logs (not even in a form the
 * maskers do not know), and the same agent process runs the next pipeline.
 */
final class SandboxEscapes {

    /**
     * The attacks, one per argument; each prints BLOCKED-name when it fails and LEAKED-name (with
     * what it read, rotated so that no masker hides it) when it works.
     */
    private static final String ATTACK = """
            #!/bin/sh
            # usage: attack.sh <what> <SHOAL_HOME> <agent work directory> <agent pid> <PostgreSQL port> <Kafka port> <gateway port>
            what=$1; home=$2; workdir=$3; agent=$4
            rot() { tr 'A-Za-z0-9' 'N-ZA-Mn-za-m5-90-4'; }
            attempt() {
              name=$1; shift
              if "$@" >/tmp/attempt 2>/dev/null && [ -s /tmp/attempt ]; then echo "LEAKED-$name"; rot </tmp/attempt; echo
              else echo "BLOCKED-$name"; fi
            }
            case "$what" in
              proc)
                # every environment and command line this step can see, rotated: the test looks for the token in it
                for f in /proc/[0-9]*/environ /proc/[0-9]*/cmdline /proc/[0-9]*/task/[0-9]*/environ; do
                  cat "$f" 2>/dev/null | tr '\\0' '\\n' | rot
                done
                # the agent and the services are java -jar ci-agent.jar / quarkus-run.jar
                if grep -qsE 'ci-agent[.]jar|quarkus-run[.]jar' /proc/[0-9]*/cmdline; then echo LEAKED-processes
                else echo BLOCKED-processes; fi
                attempt agent-environ cat "/proc/$agent/environ"
                if env | grep -q '^SHOAL_'; then echo LEAKED-env; else echo BLOCKED-env; fi ;;
              files)
                attempt token-file cat "$home/agent-token"
                attempt admin-token cat "$home/admin-token"
                attempt keys sh -c "cat '$home'/keys/*"
                attempt run-env cat "$home/run.env"
                attempt repositories ls -A "$home/repos"
                attempt postgres ls -A "$home/pg"
                attempt home ls -A "$home"
                attempt other-workspace cat "$workdir/pipeline-0-victim/workspace/victim.txt"
                attempt agent-workdir ls -A "$workdir"
                attempt root-home ls -A /root
                if touch /usr/escaped 2>/dev/null; then echo LEAKED-usr-write; else echo BLOCKED-usr-write; fi ;;
              signal)
                kill -9 "$agent" 2>/dev/null; kill -TERM "$agent" 2>/dev/null
                kill -STOP 1 2>/dev/null; kill -TERM -1 2>/dev/null
                if kill -0 "$agent" 2>/dev/null; then echo LEAKED-signal; else echo BLOCKED-signal; fi ;;
              network)
                # the stack's services on this machine's loopback, directly and through slirp4netns's host alias
                for target in "postgres:$5" "kafka:$6" "gateway:$7"; do
                  name=${target%%:*}; port=${target#*:}
                  for host in 127.0.0.1 10.0.2.2; do
                    if timeout 5 bash -c "</dev/tcp/$host/$port" 2>/dev/null; then echo "LEAKED-$name-$host"
                    else echo "BLOCKED-$name-$host"; fi
                  done
                done
                # while the step has a network: an interface with a default route, slirp4netns's resolver
                if grep -q '^tap0[[:space:]]*00000000' /proc/net/route && grep -q '^nameserver 10.0.2.3' /etc/resolv.conf
                then echo NETWORK-UP; else echo NETWORK-MISSING; fi ;;
            esac
            echo "done-$what"
            """;

    private final StackClient client;
    private final Path home;

    SandboxEscapes(StackClient client, Path home) {
        this.client = client;
        this.home = home;
    }

    String everyAttemptFailsAndTheAgentKeepsWorking() throws Exception {
        String url = client.url();
        String admin = client.adminToken();
        String agentToken = Files.readString(home.resolve("agent-token")).strip();
        long agentPid = Long.parseLong(Files.readString(home.resolve("pids/ci-agent.pid")).strip());
        Path workdir = agentWorkdir();
        assertThat(workdir.startsWith(home)).as("the agent's work directory %s is outside SHOAL_HOME", workdir).isFalse();
        // Another pipeline's workspace, as the agent lays it out: the step must not see it.
        Path victim = Files.createDirectories(workdir.resolve("pipeline-0-victim/workspace"));
        Files.writeString(victim.resolve("victim.txt"), "victim-content\n");

        client.createRepo("escape", "app", false);
        Path work = client.workspace("escape");
        StackClient.git(work, "init", "-q", "-b", "main");
        Files.writeString(work.resolve("attack.sh"), ATTACK);
        StackClient.git(work, "add", "attack.sh");
        Map<String, String> runEnv = runEnv();
        String kafka = runEnv.get("SHOAL_KAFKA_BOOTSTRAP_SERVERS");
        String args = " " + home + " " + workdir + " " + agentPid + " " + Integer.parseInt(runEnv.get("SHOAL_PG_PORT"))
                + " " + Integer.parseInt(kafka.substring(kafka.lastIndexOf(':') + 1))
                + " " + java.net.URI.create(url).getPort();
        StackClient.commitFile(work, ".shoal.yml", String.join("\n", "steps:",
                "  - name: proc", "    image: alpine", "    commands:", "      - sh attack.sh proc" + args,
                "  - name: files", "    commands:", "      - sh attack.sh files" + args,
                // exec: attack.sh's kill -1 spares only itself, and would otherwise end the step's own shell
                "  - name: signal", "    image: alpine", "    commands:", "      - exec sh attack.sh signal" + args,
                "  - name: network", "    commands:", "      - sh attack.sh network" + args, ""),
                "steps that try to escape");
        StackClient.git(work, "push", "-q", client.remote("escape", "app", admin), "main");

        String pipelineUrl = url + "/api/v1/repos/escape/app/pipelines/1";
        JsonNode pipeline = client.finishedPipeline(pipelineUrl, admin, Duration.ofSeconds(120));

        Map<String, List<String>> expected = Map.of(
                "proc", List.of("processes", "agent-environ", "env"),
                "files", List.of("token-file", "admin-token", "keys", "run-env", "repositories", "postgres", "home",
                        "other-workspace", "agent-workdir", "root-home", "usr-write"),
                "signal", List.of("signal"),
                "network", List.of("postgres-127.0.0.1", "postgres-10.0.2.2", "kafka-127.0.0.1", "kafka-10.0.2.2",
                        "gateway-127.0.0.1", "gateway-10.0.2.2"));
        List<String> names = List.of("proc", "files", "signal", "network");
        for (int step = 1; step <= names.size(); step++) {
            String what = names.get(step - 1);
            String log = client.get(pipelineUrl + "/steps/" + step + "/log", admin).body();
            assertThat(log).as("log of step " + what).contains("done-" + what).doesNotContain("LEAKED-");
            for (String attempt : expected.get(what)) {
                assertThat(log).as("log of step " + what).contains("BLOCKED-" + attempt);
            }
            for (String secret : List.of(agentToken, admin)) {
                assertThat(log).as("log of step " + what).doesNotContain(secret).doesNotContain(rot(secret));
            }
            assertThat(log).doesNotContain("victim-content");
        }
        assertThat(client.get(pipelineUrl + "/steps/4/log", admin).body()).as("log of step network")
                .contains("NETWORK-UP");
        assertThat(pipeline.path("status").asText()).as(pipeline.toString()).isEqualTo("success");
        assertThat(Files.readString(victim.resolve("victim.txt"))).isEqualTo("victim-content\n");
        assertThat(ProcessHandle.of(agentPid).map(ProcessHandle::isAlive).orElse(false)).as("the agent survived").isTrue();

        // The same agent process runs the next pipeline.
        StackClient.commitFile(work, ".shoal.yml", String.join("\n", "steps:", "  - name: after", "    commands:",
                "      - echo after-escape-marker", ""), "a pipeline after the attempts");
        StackClient.git(work, "push", "-q", client.remote("escape", "app", admin), "main");
        JsonNode next = client.finishedPipeline(url + "/api/v1/repos/escape/app/pipelines/2", admin, Duration.ofSeconds(90));
        assertThat(next.path("status").asText()).as(next.toString()).isEqualTo("success");
        assertThat(client.get(url + "/api/v1/repos/escape/app/pipelines/2/steps/1/log", admin).body())
                .contains("after-escape-marker");
        assertThat(Long.parseLong(Files.readString(home.resolve("pids/ci-agent.pid")).strip()))
                .as("the agent was not restarted").isEqualTo(agentPid);
        try (Stream<Path> files = Files.walk(victim.getParent())) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        int attempts = expected.values().stream().mapToInt(List::size).sum();
        return "sandbox: " + attempts + " attempts blocked, the token in no log, agent pid " + agentPid
                + " ran the next pipeline";
    }

    /** The stack's run.env: where its PostgreSQL and Kafka listen. */
    private Map<String, String> runEnv() throws Exception {
        Map<String, String> env = new java.util.HashMap<>();
        for (String line : Files.readAllLines(home.resolve("run.env"))) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return env;
    }

    /** The work directory the launcher reported for the agent. */
    private Path agentWorkdir() throws Exception {
        Matcher m = Pattern.compile("CI agent started \\(work directory (.+)\\)").matcher(Files.readString(home.resolve("logs/launcher.log")));
        assertThat(m.find()).as("the launcher names the agent's work directory").isTrue();
        return Path.of(m.group(1));
    }

    /** rot13 on letters, rot5 on digits: what attack.sh's {@code rot} makes of a value. */
    static String rot(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c >= 'a' && c <= 'z') {
                out.append((char) ('a' + (c - 'a' + 13) % 26));
            } else if (c >= 'A' && c <= 'Z') {
                out.append((char) ('A' + (c - 'A' + 13) % 26));
            } else if (c >= '0' && c <= '9') {
                out.append((char) ('0' + (c - '0' + 5) % 10));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
