package dev.shoal.issue.issue;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.issue.support.Outboxes;
import dev.shoal.issue.support.TestCallers;
import dev.shoal.platform.testing.ShoalTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "issue_test"))
class IssueNumberingTest {

    @Inject
    Pool pool;

    @Test
    void fiftyConcurrentCreatesGetFiftyDistinctConsecutiveNumbers() throws Exception {
        long repoId = TestCallers.newRepoId();
        String token = TestCallers.member(31, "dora", repoId);
        String url = "/api/v1/repos/acme/repo" + repoId + "/issues";
        ExecutorService threads = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Long>> results = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                int n = i;
                Callable<Long> create = () -> {
                    start.await();
                    return given().auth().oauth2(token).contentType(ContentType.JSON)
                            .body(Map.of("title", "concurrent " + n)).post(url)
                            .then().statusCode(201).extract().jsonPath().getLong("data.number");
                };
                results.add(threads.submit(create));
            }
            start.countDown();
            List<Long> numbers = new ArrayList<>();
            for (Future<Long> result : results) {
                numbers.add(result.get());
            }
            assertThat(numbers).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 50).boxed().toList());
        } finally {
            threads.shutdownNow();
        }
        assertThat(Outboxes.types(pool, repoId)).hasSize(50).containsOnly("issue.opened");
        List<Long> listed = given().auth().oauth2(token).get(url + "?state=new&per_page=100").then().statusCode(200)
                .extract().jsonPath().getList("data.number", Long.class);
        assertThat(listed).containsExactlyElementsOf(LongStream.iterate(50, i -> i - 1).limit(50).boxed().toList());
    }
}
