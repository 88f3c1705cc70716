package dev.shoal.repo;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.shoal.platform.db.AnnouncedRowCache;
import dev.shoal.platform.db.RowChangeListener;
import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.platform.testing.Waits;
import dev.shoal.repo.repo.service.RepoRowCache;
import dev.shoal.repo.support.Fixtures;
import dev.shoal.repo.support.RepoStorageResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Repository rows served from memory ({@link RepoRowCache}) are never kept past a change: not one made
 * through this process's API, not one another process (another replica, psql) commits, and not while
 * the connection that hears of such changes is down.
 */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "repo_test"))
@QuarkusTestResource(RepoStorageResource.class)
class RepoRowCacheTest {

    private static final Duration ANNOUNCED = Duration.ofSeconds(10);

    @Inject
    Pool pool;
    @Inject
    RepoRowCache cache;
    @Inject
    Vertx vertx;

    @BeforeEach
    void listening() {
        Waits.until(ANNOUNCED, cache::serving, () -> "repo-service never listened for repository changes");
    }

    @Test
    void aRepositoryLookedUpAgainIsAnsweredFromMemoryWithTheSameBody() {
        String org = Fixtures.uniqueOrg("rowcache");
        String owner = Fixtures.owner(30);
        Fixtures.createRepo(owner, org, "kept", false);
        String first = given().auth().oauth2(owner).get("/api/v1/repos/" + org + "/kept").then().statusCode(200).extract().asString();
        long hits = cache.hits();
        String again = given().auth().oauth2(owner).get("/api/v1/repos/" + org + "/KEPT").then().statusCode(200).extract().asString();
        given().auth().oauth2(owner).get("/" + org + "/kept.git/info/refs?service=git-upload-pack").then().statusCode(200);

        assertThat(again).isEqualTo(first);
        assertThat(cache.hits()).isEqualTo(hits + 2);
    }

    @Test
    void aChangeCommittedOutsideThisProcessIsSeenOnceAnnounced() {
        String org = Fixtures.uniqueOrg("rowcache");
        String owner = Fixtures.owner(31);
        long id = Fixtures.createRepo(owner, org, "elsewhere", false);
        given().auth().oauth2(Fixtures.outsider(31)).get("/api/v1/repos/" + org + "/elsewhere").then().statusCode(200);
        given().auth().oauth2(Fixtures.outsider(31)).get("/api/v1/repos/" + org + "/elsewhere").then().statusCode(200);

        // as another replica or psql would: straight to the table, not through this process
        pool.preparedQuery("UPDATE repository SET is_private = true, description = 'made private elsewhere' WHERE id = $1")
                .execute(Tuple.of(id)).await().indefinitely();

        Waits.until(ANNOUNCED, () -> given().auth().oauth2(Fixtures.outsider(31)).get("/api/v1/repos/" + org + "/elsewhere").statusCode() == 404,
                () -> "an outsider still sees a repository made private in the database");
        given().auth().oauth2(Fixtures.outsider(31)).get("/" + org + "/elsewhere.git/info/refs?service=git-upload-pack")
                .then().statusCode(404);
        given().auth().oauth2(Fixtures.member(31)).get("/api/v1/repos/" + org + "/elsewhere")
                .then().statusCode(200).body("data.description", equalTo("made private elsewhere")).body("data.is_private", equalTo(true));
    }

    @Test
    void aChangeThroughTheApiIsAnsweredAtOnce() {
        String org = Fixtures.uniqueOrg("rowcache");
        String owner = Fixtures.owner(32);
        long id = Fixtures.createRepo(owner, org, "patched", false);
        given().auth().oauth2(Fixtures.outsider(32)).get("/api/v1/repos/" + org + "/patched").then().statusCode(200);

        given().auth().oauth2(owner).contentType("application/json").body(Map.of("is_private", true, "description", "now private"))
                .patch("/api/v1/repos/" + org + "/patched").then().statusCode(200);
        given().auth().oauth2(Fixtures.outsider(32)).get("/api/v1/repos/" + org + "/patched").then().statusCode(404);
        given().auth().oauth2(owner).get("/api/v1/repos/" + org + "/patched").then().statusCode(200)
                .body("data.description", equalTo("now private"));

        given().auth().oauth2(owner).delete("/api/v1/repos/" + org + "/patched").then().statusCode(204);
        given().auth().oauth2(owner).get("/api/v1/repos/" + org + "/patched").then().statusCode(404);
        long again = Fixtures.createRepo(owner, org, "patched", false);
        given().auth().oauth2(owner).get("/api/v1/repos/" + org + "/patched").then().statusCode(200)
                .body("data.id", equalTo((int) again)).body("data.description", equalTo("d"));
        assertThat(again).isNotEqualTo(id);
    }

    @Test
    void whileTheListeningConnectionIsDownEveryLookupReadsTheDatabase() {
        String org = Fixtures.uniqueOrg("rowcache");
        String owner = Fixtures.owner(33);
        long id = Fixtures.createRepo(owner, org, "outage", false);
        given().auth().oauth2(Fixtures.outsider(33)).get("/api/v1/repos/" + org + "/outage").then().statusCode(200);

        long ended = pool.query("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        + "WHERE query LIKE '%shoal_repository%' AND pid <> pg_backend_pid()")
                .execute().await().indefinitely().iterator().next().getLong(0);
        assertThat(ended).as("listening backends ended").isPositive();
        Waits.until(ANNOUNCED, () -> !cache.serving(), () -> "the cache still serves rows after its connection was ended");
        pool.preparedQuery("UPDATE repository SET is_private = true WHERE id = $1").execute(Tuple.of(id)).await().indefinitely();
        // no announcement can reach this process now, and none is needed: what it had cached is forgotten
        given().auth().oauth2(Fixtures.outsider(33)).get("/api/v1/repos/" + org + "/outage").then().statusCode(404);

        Waits.until(ANNOUNCED, cache::serving, () -> "the cache never listened again after its connection was ended");
        given().auth().oauth2(Fixtures.outsider(33)).get("/api/v1/repos/" + org + "/outage").then().statusCode(404);
        long hits = cache.hits();
        given().auth().oauth2(Fixtures.member(33)).get("/api/v1/repos/" + org + "/outage").then().statusCode(200);
        given().auth().oauth2(Fixtures.member(33)).get("/api/v1/repos/" + org + "/outage").then().statusCode(200);
        assertThat(cache.hits()).as("rows served from memory again once listening").isGreaterThan(hits);
    }

    @Test
    void aListeningConnectionThatStopsAnsweringIsGivenUpAndAnotherListens() throws Exception {
        AnnouncedRowCache<Long, Long> rows = new AnnouncedRowCache<>("test.probe.cache", 10, id -> id, new SimpleMeterRegistry());
        RowChangeListener listener = new RowChangeListener(pool, vertx, "shoal_probe_test", rows, Duration.ofMillis(300),
                Duration.ofMillis(1000));
        listener.start();
        try {
            Waits.until(ANNOUNCED, rows::serving, () -> "the test listener never listened");
            long pid = pool.query("SELECT pid FROM pg_stat_activity WHERE query LIKE '%shoal_probe_test%' AND pid <> pg_backend_pid()")
                    .execute().await().indefinitely().iterator().next().getLong(0);
            // the backend stops answering without closing anything, as behind a dropped network flow
            signal("-STOP", pid);
            try {
                Waits.until(ANNOUNCED, () -> !rows.serving(), () -> "rows still served while their connection does not answer");
            } finally {
                signal("-CONT", pid);
            }
            Waits.until(ANNOUNCED, rows::serving, () -> "no other connection listened after the first stopped answering");
            rows.find(7L, () -> Uni.createFrom().item(7L)).await().indefinitely();
            assertThat(rows.holds(7)).isTrue();
            pool.query("NOTIFY shoal_probe_test, '7'").execute().await().indefinitely();
            Waits.until(ANNOUNCED, () -> !rows.holds(7), () -> "the new listening connection hears no announcement");
        } finally {
            listener.stop();
        }
    }

    private static void signal(String signal, long pid) throws Exception {
        assertThat(new ProcessBuilder("kill", signal, String.valueOf(pid)).start().waitFor()).as("kill " + signal + " " + pid).isZero();
    }
}
