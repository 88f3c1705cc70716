package dev.shoal.repo;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.platform.testing.Waits;
import dev.shoal.repo.support.Fixtures;
import dev.shoal.repo.support.Git;
import dev.shoal.repo.support.RepoStorageResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The stock git client pushes, clones and fetches; /q/metrics counts each as what it was (a clone
 * is a pack to a client with nothing, a fetch one to a client with history) and the bytes moved,
 * which cover at least the pack of a file larger than any git overhead.
 */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "repo_test"))
@QuarkusTestResource(RepoStorageResource.class)
class GitMetricsTest {

    private static final String[] SERIES = {"shoal_git_clones_total", "shoal_git_fetches_total", "shoal_git_pushes_total",
            "shoal_git_bytes_sent_total", "shoal_git_bytes_received_total"};

    @Test
    void pushesClonesFetchesAndBytesAreCounted() {
        String org = Fixtures.uniqueOrg("gitm");
        String token = Fixtures.owner(10);
        Fixtures.createRepo(token, org, "metered", false);
        Git git = new Git(token);
        Path work = Git.tempDir();
        Path app = work.resolve("app");
        git.run(work, "clone", Fixtures.url(org, "metered"), "app").ok();

        // 200 KB of incompressible-enough text, so the pack dominates the protocol's own bytes
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            big.append(Integer.toHexString(i * 2654435761L > 0 ? (int) (i * 2654435761L) : i)).append(' ').append(i).append('\n');
        }
        Git.write(app.resolve("data.txt"), big.toString());
        git.out(app, "add", ".");
        git.out(app, "commit", "-m", "Data");

        Map<String, Double> before = read();
        git.out(app, "push", "origin", "main");
        Map<String, Double> pushed = readWhen(m -> m.get("shoal_git_bytes_received_total") - before.get("shoal_git_bytes_received_total") > 50_000);
        assertThat(pushed.get("shoal_git_pushes_total")).isEqualTo(before.get("shoal_git_pushes_total") + 1);
        assertThat(pushed.get("shoal_git_bytes_received_total") - before.get("shoal_git_bytes_received_total"))
                .isGreaterThan(50_000);

        Path other = Git.tempDir();
        git.run(other, "clone", Fixtures.url(org, "metered"), "copy").ok();
        Map<String, Double> cloned = readWhen(m -> m.get("shoal_git_bytes_sent_total") - pushed.get("shoal_git_bytes_sent_total") > 50_000);
        assertThat(cloned.get("shoal_git_clones_total")).isEqualTo(pushed.get("shoal_git_clones_total") + 1);
        assertThat(cloned.get("shoal_git_fetches_total")).isEqualTo(pushed.get("shoal_git_fetches_total"));
        assertThat(cloned.get("shoal_git_bytes_sent_total") - pushed.get("shoal_git_bytes_sent_total")).isGreaterThan(50_000);

        Git.write(app.resolve("more.txt"), "more\n");
        git.out(app, "add", ".");
        git.out(app, "commit", "-m", "More");
        git.out(app, "push", "origin", "main");
        Map<String, Double> beforeFetch = read();
        git.out(other.resolve("copy"), "fetch", "origin");
        Map<String, Double> fetched = read();
        assertThat(fetched.get("shoal_git_fetches_total")).isEqualTo(beforeFetch.get("shoal_git_fetches_total") + 1);
        assertThat(fetched.get("shoal_git_clones_total")).isEqualTo(beforeFetch.get("shoal_git_clones_total"));
        // a fetch with nothing new sends no pack
        git.out(other.resolve("copy"), "fetch", "origin");
        assertThat(read().get("shoal_git_fetches_total")).isEqualTo(fetched.get("shoal_git_fetches_total"));
    }

    /** The counters once {@code settled} holds (bytes are added when the servlet request ends, just after the client has its answer). */
    private static Map<String, Double> readWhen(java.util.function.Predicate<Map<String, Double>> settled) {
        return Waits.until(Duration.ofSeconds(5), GitMetricsTest::read, settled, "settled git counters");
    }

    private static Map<String, Double> read() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        Map<String, Double> values = new java.util.HashMap<>();
        for (String name : SERIES) {
            Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? ([0-9.E+-]+)$").matcher(metrics);
            assertThat(m.find()).as(name + " in /q/metrics").isTrue();
            values.put(name, Double.parseDouble(m.group(1)));
        }
        return values;
    }
}
