package dev.shoal.issue.repo;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.shoal.issue.repo.service.RepoRowCache;
import dev.shoal.issue.support.TestCallers;
import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.platform.testing.Waits;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The repository rows this service reads on every request come from memory ({@link RepoRowCache}), and
 * never outlive a change: one this process made is seen by the next request, one committed elsewhere
 * as soon as PostgreSQL announces it.
 */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "issue_test"))
class RepoRowCacheTest {

    @Inject
    Pool pool;

    @Inject
    RepoRowCache rows;

    long repoId;
    String base;
    String member;

    @BeforeEach
    void freshRepo() {
        Waits.until(Duration.ofSeconds(10), rows::serving, () -> "issue-service never listened for repository changes");
        repoId = TestCallers.newRepoId();
        base = "/api/v1/repos/acme/repo" + repoId;
        member = TestCallers.member(910_001, "rowcache", repoId);
    }

    @Test
    void readsAreAnsweredFromMemoryAndTheNextReadSeesAWrite() {
        create("First");
        list().then().body("pagination.total", equalTo(1));
        long hits = rows.hits();
        list().then().body("pagination.total", equalTo(1));
        assertThat(rows.hits()).as("the repository's row read from memory").isEqualTo(hits + 1);

        // the write changes the row as it commits (last number, list version); the next read has it
        create("Second");
        list().then().body("pagination.total", equalTo(2)).body("data[0].title", equalTo("Second"));
    }

    @Test
    void aRepositoryRenamedElsewhereIsNotFoundUnderItsOldNameOnceAnnounced() {
        create("Before the rename");
        list().then().statusCode(200);
        list().then().statusCode(200);
        assertThat(rows.holds(repoId)).isTrue();

        // as repo-service's rename event, another replica or psql would: straight to the table
        pool.preparedQuery("UPDATE repository SET name = $2 WHERE id = $1").execute(Tuple.of(repoId, "moved" + repoId))
                .await().atMost(Duration.ofSeconds(10));

        Waits.until(Duration.ofSeconds(10), () -> list().statusCode() == 404,
                () -> "the repository is still found under its old name after the change was committed");
        given().auth().oauth2(member)
                .get("/api/v1/repos/acme/moved" + repoId + "/issues?state=new").then().statusCode(200)
                .body("pagination.total", equalTo(1));
    }

    private void create(String title) {
        given().auth().oauth2(member).contentType(ContentType.JSON).body(Map.of("title", title, "body", ""))
                .post(base + "/issues").then().statusCode(201);
    }

    private io.restassured.response.Response list() {
        return given().auth().oauth2(member).get(base + "/issues?state=new");
    }
}
