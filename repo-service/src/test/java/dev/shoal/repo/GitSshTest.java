package dev.shoal.repo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.repo.git.GitStore;
import dev.shoal.repo.git.ssh.GitSshServer;
import dev.shoal.repo.support.Fixtures;
import dev.shoal.repo.support.Git;
import dev.shoal.repo.support.Outbox;
import dev.shoal.repo.support.RepoStorageResource;
import dev.shoal.repo.support.SshAccessDouble;
import dev.shoal.repo.support.SshAccessDouble.KeyHolder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Git over SSH with the real {@code git} and {@code ssh} clients: keys from {@code ssh-keygen}, the
 * server's host key pinned in a known-hosts file with strict checking. The gateway's answers come
 * from {@link SshAccessDouble} (the gateway's own tests cover its decisions).
 */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "repo_test"))
@QuarkusTestResource(RepoStorageResource.class)
class GitSshTest {

    @Inject
    Pool pool;
    @Inject
    GitStore store;
    @Inject
    GitSshServer server;
    @Inject
    SshAccessDouble access;

    private Path knownHosts;

    @BeforeEach
    void pinHostKey() throws IOException {
        knownHosts = Files.createTempFile("known_hosts", "");
        Files.writeString(knownHosts, "[localhost]:" + server.port() + " " + server.hostPublicKey() + "\n");
    }

    @Test
    void cloneFetchPushAndLsRemoteOverSshEmitThePushEvent() throws Exception {
        String org = Fixtures.uniqueOrg("ssh");
        long id = Fixtures.createRepo(Fixtures.owner(10), org, "app", true);
        Path ada = key("ada");
        access.register(fingerprint(ada), KeyHolder.user(1, "ada", "owner"));
        Git git = new Git("unused");
        Path work = Git.tempDir();
        git.run(ssh(ada), work, "clone", url(org, "app"), "app").ok();
        Path app = work.resolve("app");
        Git.write(app.resolve("README.md"), "# over ssh\n");
        git.out(app, "add", ".");
        git.out(app, "commit", "-m", "First over SSH");
        git.run(ssh(ada), app, "push", "origin", "main").ok();
        String head = git.out(app, "rev-parse", "HEAD");

        List<JsonObject> pushed = Outbox.events(pool, id, "repo.pushed");
        assertThat(pushed).singleElement().satisfies(e -> {
            assertThat(e.getJsonObject("data").getString("ref")).isEqualTo("refs/heads/main");
            assertThat(e.getJsonObject("data").getString("after")).isEqualTo(head);
            assertThat(e.getJsonObject("data").getJsonObject("pusher").getString("login")).isEqualTo("ada");
        });
        assertThat(git.run(ssh(ada), work, "ls-remote", url(org, "app")).ok().out()).contains(head + "\trefs/heads/main");
        // the short form, and protocol v2 as stock git asks for it
        Path copy = Git.tempDir();
        git.run(ssh(ada), copy, "clone", url(org, "app"), "c").ok();
        assertThat(git.out(copy.resolve("c"), "rev-parse", "HEAD")).isEqualTo(head);
        Git.write(app.resolve("README.md"), "# again\n");
        git.out(app, "commit", "-am", "Second");
        git.run(ssh(ada), app, "push", "origin", "main").ok();
        git.run(ssh(ada), copy.resolve("c"), "fetch", "origin").ok();
        assertThat(git.out(copy.resolve("c"), "rev-parse", "origin/main")).isEqualTo(git.out(app, "rev-parse", "HEAD"));
        assertThat(Outbox.events(pool, id, "repo.pushed")).hasSize(2);
        Path hostKey = Path.of("target/ssh-keys", "ssh_host_ecdsa_key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(hostKey))).isEqualTo("rw-------");
    }

    @Test
    void outsidersSeeAPrivateRepositoryExactlyAsAMissingOneAndCannotPush() throws Exception {
        String org = Fixtures.uniqueOrg("ssh");
        Fixtures.createRepo(Fixtures.owner(10), org, "secret", true);
        long open = Fixtures.createRepo(Fixtures.owner(10), org, "open", false);
        Path eve = key("eve");
        access.register(fingerprint(eve), KeyHolder.user(3, "eve", "none"));
        Git git = new Git("unused");
        Path work = Git.tempDir();
        String hidden = git.run(ssh(eve), work, "clone", url(org, "secret"), "a").out();
        String missing = git.run(ssh(eve), work, "clone", url(org, "nothing"), "b").out();
        assertThat(hidden).contains("not found");
        assertThat(hidden.replace("secret", "X").replace("'a'", "'?'")).isEqualTo(missing.replace("nothing", "X").replace("'b'", "'?'"));
        assertThat(work.resolve("a")).doesNotExist();
        // a public repository: eve may clone it, not push to it
        git.run(ssh(eve), work, "clone", url(org, "open"), "o").ok();
        Path o = work.resolve("o");
        Git.write(o.resolve("x"), "x\n");
        git.out(o, "add", ".");
        git.out(o, "commit", "-m", "x");
        Git.Result push = git.run(ssh(eve), o, "push", "origin", "main");
        assertThat(push.exit()).isNotZero();
        assertThat(push.out()).contains("only members");
        assertThat(Outbox.events(pool, open, "repo.pushed")).isEmpty();
    }

    @Test
    void aReadOnlyDeployKeyClonesButCannotPushAndRevokedOrDeactivatedKeysAreRefusedAtOnce() throws Exception {
        String org = Fixtures.uniqueOrg("ssh");
        long id = Fixtures.createRepo(Fixtures.owner(10), org, "svc", true);
        Path ada = key("ada");
        access.register(fingerprint(ada), KeyHolder.user(1, "ada", "owner"));
        Git git = new Git("unused");
        Path seed = Git.tempDir();
        git.run(ssh(ada), seed, "clone", url(org, "svc"), "s").ok();
        Git.write(seed.resolve("s/a"), "a\n");
        git.out(seed.resolve("s"), "add", ".");
        git.out(seed.resolve("s"), "commit", "-m", "a");
        git.run(ssh(ada), seed.resolve("s"), "push", "origin", "main").ok();

        Path deploy = key("deploy");
        access.register(fingerprint(deploy), KeyHolder.deployKey(id, true));
        Path work = Git.tempDir();
        git.run(ssh(deploy), work, "clone", url(org, "svc"), "d").ok();
        Path d = work.resolve("d");
        Git.write(d.resolve("b"), "b\n");
        git.out(d, "add", ".");
        git.out(d, "commit", "-m", "b");
        Git.Result push = git.run(ssh(deploy), d, "push", "origin", "main");
        assertThat(push.exit()).isNotZero();
        assertThat(push.out()).contains("read-only");
        assertThat(git.run(ssh(ada), work, "ls-remote", url(org, "svc")).ok().out())
                .contains(git.out(seed.resolve("s"), "rev-parse", "HEAD")).doesNotContain(git.out(d, "rev-parse", "HEAD"));
        assertThat(Outbox.events(pool, id, "repo.pushed")).hasSize(1);
        // another repository is not the deploy key's
        Fixtures.createRepo(Fixtures.owner(10), org, "other", false);
        assertThat(git.run(ssh(deploy), work, "ls-remote", url(org, "other")).out()).contains("not found");

        access.revoke(fingerprint(deploy));
        Git.Result revoked = git.run(ssh(deploy), work, "ls-remote", url(org, "svc"));
        assertThat(revoked.exit()).isNotZero();
        assertThat(revoked.out()).contains("Permission denied (publickey)");
        Path gone = key("gone");
        access.register(fingerprint(gone), KeyHolder.user(4, "gone", "owner"));
        git.run(ssh(gone), work, "ls-remote", url(org, "svc")).ok();
        access.register(fingerprint(gone), new KeyHolder(4, "gone", "owner", false, null, false));
        assertThat(git.run(ssh(gone), work, "ls-remote", url(org, "svc")).out()).contains("Permission denied (publickey)");
    }

    @Test
    void otherCommandsShellsAndPathTricksAreRefusedWithOneLineAndNothingWritten() throws Exception {
        String org = Fixtures.uniqueOrg("ssh");
        Fixtures.createRepo(Fixtures.owner(10), org, "app", false);
        Path ada = key("ada");
        access.register(fingerprint(ada), KeyHolder.user(1, "ada", "owner"));
        List<String> before = storage();
        assertThat(sshRun(ada, "ls -la")).contains("'ls' is not allowed").contains("git-upload-pack and git-receive-pack only");
        assertThat(sshRun(ada, "git-upload-archive '" + org + "/app.git'")).contains("is not allowed");
        assertThat(sshRun(ada)).contains("Hi ada!").contains("no shell");
        for (String path : List.of("'../" + org + "/app.git'", "'" + org + "/../app.git'", "'/etc/passwd'", "'/srv/git/" + org + "/app.git'",
                "'~root/app.git'", "'" + org + "/app.git.git'", "'" + org + "/.app.git'", "'" + org + "//app.git'",
                "'" + org + "/app.git'; rm -rf /", "'" + org + "/app.git' '" + org + "/x'")) {
            String out = sshRun(ada, "git-receive-pack " + path);
            assertThat(out).as(path).startsWith("shoal: ").containsAnyOf("not a repository path", "home-directory paths", "not found");
            assertThat(out.strip().lines().count()).as(path).isEqualTo(1);
        }
        assertThat(storage()).isEqualTo(before);
        // no password authentication at all
        Process password = new ProcessBuilder("ssh", "-o", "BatchMode=yes", "-o", "PreferredAuthentications=password",
                "-o", "PubkeyAuthentication=no", "-o", "UserKnownHostsFile=" + knownHosts, "-o", "StrictHostKeyChecking=yes",
                "-p", String.valueOf(server.port()), "git@localhost", "git-upload-pack '" + org + "/app.git'")
                .redirectErrorStream(true).start();
        String refused = new String(password.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        password.waitFor(60, TimeUnit.SECONDS);
        assertThat(refused).contains("Permission denied (publickey)");
    }

    private String url(String org, String name) {
        return "ssh://git@localhost:" + server.port() + "/" + org + "/" + name + ".git";
    }

    private Map<String, String> ssh(Path key) {
        return Map.of("GIT_SSH_COMMAND", "ssh -i " + key + " -o IdentitiesOnly=yes -o BatchMode=yes -o UserKnownHostsFile="
                + knownHosts + " -o StrictHostKeyChecking=yes");
    }

    private String sshRun(Path key, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of("ssh", "-i", key.toString(), "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
                "-o", "UserKnownHostsFile=" + knownHosts, "-o", "StrictHostKeyChecking=yes", "-p", String.valueOf(server.port()),
                "git@localhost"));
        args.addAll(List.of(command));
        Process process = new ProcessBuilder(args).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isNotZero();
        return out;
    }

    private List<String> storage() throws IOException {
        try (Stream<Path> files = Files.list(store.root())) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static Path key(String name) throws Exception {
        Path file = Files.createTempDirectory("sshkey").resolve(name);
        Process process = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", file.toString())
                .redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        assertThat(process.waitFor()).isZero();
        return file;
    }

    private static String fingerprint(Path key) throws Exception {
        Process print = new ProcessBuilder("ssh-keygen", "-l", "-E", "sha256", "-f", key + ".pub").start();
        String line = new String(print.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        print.waitFor();
        return line.split(" ")[1];
    }
}
