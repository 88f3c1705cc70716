package dev.shoal.issue.issue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.issue.issue.repository.IssueRepository;
import dev.shoal.platform.testing.ShoalTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The issue list must be served by the (repo_id, state, is_pinned, number) index, in its order. With sequential
 * scans priced out, the planner picks that index if, and only if, it can serve the query.
 */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "issue_test"))
class IssueListPlanTest {

    @Inject
    Pool pool;

    @Test
    void listQueryUsesTheListIndex() {
        String text = pool.withTransaction(tx -> tx.query("SET LOCAL enable_seqscan = off").execute()
                        .chain(() -> tx.preparedQuery("EXPLAIN " + IssueRepository.PAGE).execute(Tuple.from(java.util.List.of(1L, "open", 30, 0L, false, 7L))))
                        .map(rows -> StreamSupport.stream(rows.spliterator(), false)
                                .map(r -> r.getString(0)).collect(Collectors.joining("\n"))))
                .await().atMost(Duration.ofSeconds(10));
        assertThat(text).contains("issue_list").doesNotContain("Seq Scan on issue");
        // the page comes from the index in list order: the one sort is of the page's own rows
        assertThat(text.split("Sort Key", -1)).hasSize(2);
        assertThat(text.indexOf("Sort Key")).isLessThan(text.indexOf("issue_list"));
    }
}
