package dev.shoal.issue.issue;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.issue.issue.service.IssueListCache;
import dev.shoal.issue.repo.service.RepoRowCache;
import dev.shoal.issue.support.DirectoryDouble;
import dev.shoal.issue.support.JGitRepoGateway;
import dev.shoal.issue.support.TestCallers;
import dev.shoal.issue.user.UserProfile;
import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.schema.UserChanged;
import dev.shoal.platform.outbox.KafkaClients;
import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.platform.testing.Waits;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The issue list's pages come from memory while nothing they show has changed, and the next list
 * after any change shows it. Before each change the list is read twice (the second read must be a
 * hit, so the change is made with the old page in the cache); after it, the list must be byte for
 * byte what each listed issue's own answer says now.
 */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "issue_test"))
class IssueListCacheTest {

    /** User ids no other test class uses: profiles are shared by every repository. */
    static final AtomicLong NEXT_USER = new AtomicLong(700_000 + System.currentTimeMillis() % 1000 * 100);

    @Inject
    Pool pool;

    @Inject
    IssueListCache cache;

    @Inject
    RepoRowCache repoRows;

    @Inject
    DirectoryDouble directory;

    @Inject
    JGitRepoGateway git;

    @Inject
    KafkaClients kafka;

    @Inject
    ObjectMapper mapper;

    long repoId;
    String base;
    long aliceId;
    String alice;

    @BeforeEach
    void freshRepo() {
        repoId = TestCallers.newRepoId();
        base = "/api/v1/repos/acme/repo" + repoId;
        aliceId = NEXT_USER.incrementAndGet();
        alice = TestCallers.member(aliceId, "alice" + aliceId, repoId);
    }

    @Test
    void anUnchangedListIsServedFromMemory() {
        int number = create(alice, "First");
        patch(alice, number, Map.of("state", "open"));
        String first = list(alice, "open");
        long hits = cache.hits();
        long misses = cache.misses();
        assertThat(list(alice, "open")).isEqualTo(first);
        assertThat(cache.hits() - hits).isEqualTo(1);
        assertThat(cache.misses() - misses).isZero();

        // A change made behind the triggers' back (replication role: no triggers fire) is not seen:
        // the page really comes from memory, not from a query that happens to answer the same.
        behindTheTriggers("UPDATE issue SET title = 'Changed unseen' WHERE repo_id = $1 AND number = $2", repoId, number);
        as(alice).get(base + "/issues/" + number).then().body("data.title", equalTo("Changed unseen"));
        assertThat(list(alice, "open")).isEqualTo(first);

        // Any change through the triggers makes the next list read again, and it shows both.
        patch(alice, number, Map.of("body", "now with a body"));
        as(alice).get(base + "/issues?state=open").then().statusCode(200)
                .body("data.title", contains("Changed unseen")).body("data.body", contains("now with a body"));
        assertThat(cache.misses() - misses).isEqualTo(1);

        // each page, state and per_page is a page of its own
        int second = create(alice, "Second");
        patch(alice, second, Map.of("state", "open"));
        assertFresh(alice, "open", second, number);
        as(alice).get(base + "/issues?state=open&per_page=1&page=2").then().body("data.number", contains(number));
        as(alice).get(base + "/issues?state=open&per_page=1&page=1").then().body("data.number", contains(second));
        as(alice).get(base + "/issues?state=closed").then().body("data.size()", equalTo(0))
                .body("pagination.total", equalTo(0));
    }

    @Test
    void theNextListShowsEveryChangeToIssues() {
        int one = create(alice, "One");
        assertFresh(alice, "new", one);

        warm(alice, "new");
        int two = create(alice, "Two");
        assertFresh(alice, "new", two, one);

        warm(alice, "new");
        patch(alice, one, Map.of("title", "One, retitled", "body", "with a body"));
        assertFresh(alice, "new", two, one);

        warm(alice, "new");
        warm(alice, "open");
        patch(alice, one, Map.of("state", "open"));
        assertFresh(alice, "new", two);
        assertFresh(alice, "open", one);

        warm(alice, "closed");
        patch(alice, one, Map.of("state", "closed"));
        assertFresh(alice, "open");
        assertFresh(alice, "closed", one);

        warm(alice, "closed");
        patch(alice, one, Map.of("state", "open"));
        assertFresh(alice, "closed");
        assertFresh(alice, "open", one);

        patch(alice, two, Map.of("state", "open"));
        assertFresh(alice, "open", two, one);
        as(alice).put(base + "/issues/" + one + "/pin").then().statusCode(200);
        assertFresh(alice, "open", one, two);
        as(alice).delete(base + "/issues/" + one + "/pin").then().statusCode(200);
        assertFresh(alice, "open", two, one);

        // hidden as repo.deleted hides them: an update of the row
        warm(alice, "open");
        sql("UPDATE issue SET deleted = true WHERE repo_id = $1 AND number = $2", repoId, two);
        awaitAnnounced();
        assertFresh(alice, "open", one);
    }

    @Test
    void aPageNotYetReadTakesItsTotalFromAnotherPageOfTheSameListVersion() {
        int one = create(alice, "One");
        int two = create(alice, "Two");
        int three = create(alice, "Three");
        String pages = base + "/issues?state=new&per_page=1&page=";
        as(alice).get(pages + 1).then().body("data.number", contains(three)).body("pagination.total", equalTo(3));

        // Hidden without moving the list version: page 2 is read from the database (no page of it is
        // held), and its total is the one page 1 counted, not a new count (which would say 2).
        behindTheTriggers("UPDATE issue SET deleted = true WHERE repo_id = $1 AND number = $2", repoId, one);
        long misses = cache.misses();
        as(alice).get(pages + 2).then().body("data.number", contains(two)).body("pagination.total", equalTo(3));
        assertThat(cache.misses()).isEqualTo(misses + 1);

        // Any change that moves the version counts again.
        patch(alice, three, Map.of("title", "Three, retitled"));
        as(alice).get(pages + 2).then().body("data.number", contains(two)).body("pagination.total", equalTo(2));
        as(alice).get(pages + 3).then().body("data.size()", equalTo(0)).body("pagination.total", equalTo(2));
    }

    @Test
    void theNextListShowsEveryChangeToLabelsAndMilestones() {
        int number = create(alice, "Labelled");
        patch(alice, number, Map.of("state", "open"));
        int bug = as(alice).body(Map.of("name", "bug", "color", "#dc2626")).post(base + "/labels")
                .then().statusCode(201).extract().path("data.id");
        as(alice).body(Map.of("name", "docs", "color", "#2563eb")).post(base + "/labels").then().statusCode(201);

        warm(alice, "open");
        as(alice).body(Map.of("labels", List.of("bug", "docs"))).post(base + "/issues/" + number + "/labels").then().statusCode(200);
        assertFresh(alice, "open", number);

        warm(alice, "open");
        as(alice).body(Map.of("name", "defect", "color", "#000000")).patch(base + "/labels/" + bug).then().statusCode(200);
        assertFresh(alice, "open", number);
        as(alice).get(base + "/issues?state=open").then().body("data[0].labels.name", contains("defect", "docs"));

        warm(alice, "open");
        as(alice).delete(base + "/issues/" + number + "/labels/" + bug).then().statusCode(200);
        assertFresh(alice, "open", number);

        as(alice).body(Map.of("label_ids", List.of(bug))).post(base + "/issues/" + number + "/labels").then().statusCode(200);
        assertFresh(alice, "open", number);
        as(alice).delete(base + "/labels/" + bug).then().statusCode(204);
        assertFresh(alice, "open", number);
        as(alice).get(base + "/issues?state=open").then().body("data[0].labels.name", contains("docs"));

        int milestone = as(alice).body(Map.of("title", "v1")).post(base + "/milestones")
                .then().statusCode(201).extract().path("data.id");
        warm(alice, "open");
        patch(alice, number, Map.of("milestone_id", milestone));
        assertFresh(alice, "open", number);

        warm(alice, "open");
        as(alice).body(Map.of("title", "v1.0", "state", "closed")).patch(base + "/milestones/" + milestone).then().statusCode(200);
        assertFresh(alice, "open", number);
        as(alice).get(base + "/issues?state=open").then().body("data[0].milestone.title", equalTo("v1.0"))
                .body("data[0].milestone.state", equalTo("closed"));

        warm(alice, "open");
        as(alice).delete(base + "/milestones/" + milestone).then().statusCode(204);
        assertFresh(alice, "open", number);
        as(alice).get(base + "/issues?state=open").then().body("data[0].milestone", equalTo(null));
    }

    @Test
    void theNextListShowsAssigneesAndProfileChanges() throws Exception {
        long carolId = NEXT_USER.incrementAndGet();
        String carol = "carol" + carolId;
        directory.register(new UserProfile(carolId, carol, carol + "@example.com", "Carol", false, "", Instant.parse("2025-01-15T10:00:00Z")));
        int number = create(alice, "Assigned");
        patch(alice, number, Map.of("state", "open"));

        warm(alice, "open");
        as(alice).body(Map.of("assignees", List.of(carol))).put(base + "/issues/" + number + "/assignees").then().statusCode(200);
        assertFresh(alice, "open", number);
        as(alice).get(base + "/issues?state=open").then().body("data[0].assignees.display_name", contains("Carol"));

        // the assignee's profile changes (user.updated), and the author's first appears (user.created)
        warm(alice, "open");
        userEvent("user.updated", new UserChanged(carolId, carol, carol + "@example.com", "Carol Renamed", false, "",
                Instant.parse("2025-01-15T10:00:00Z"), true));
        Waits.until(Duration.ofSeconds(30), () -> "Carol Renamed".equals(
                as(alice).get(base + "/issues?state=open").jsonPath().getString("data[0].assignees[0].display_name")),
                () -> "the list never showed the assignee's new name");
        assertFresh(alice, "open", number);

        warm(alice, "open");
        userEvent("user.created", new UserChanged(aliceId, "alice" + aliceId, "alice@example.com", "Alice", false, "",
                Instant.parse("2025-02-01T00:00:00Z"), true));
        Waits.until(Duration.ofSeconds(30), () -> "Alice".equals(
                as(alice).get(base + "/issues?state=open").jsonPath().getString("data[0].author.display_name")),
                () -> "the list never showed the author's profile");
        assertFresh(alice, "open", number);

        warm(alice, "open");
        as(alice).body(Map.of("assignees", List.of())).put(base + "/issues/" + number + "/assignees").then().statusCode(200);
        assertFresh(alice, "open", number);
    }

    @Test
    void privateIssuesStayWithTheirViewers() {
        git.commit(repoId, "main", Map.of("README.md", "hello\n"), "initial");
        long bobId = NEXT_USER.incrementAndGet();
        long carolId = NEXT_USER.incrementAndGet();
        long malloryId = NEXT_USER.incrementAndGet();
        directory.register(new UserProfile(carolId, "carol" + carolId, null, null, false, null, null));
        String bob = TestCallers.reader(bobId, "bob" + bobId, repoId);
        String carol = TestCallers.reader(carolId, "carol" + carolId, repoId);
        String mallory = TestCallers.reader(malloryId, "mallory" + malloryId, repoId);
        int open = create(alice, "Public");
        int secret = given().auth().oauth2(bob).contentType(ContentType.URLENC).formParam("title", "Secret")
                .formParam("issue_content", "s").formParam("private", "true")
                .post("/api/0/acme/repo" + repoId + "/new_issue").then().statusCode(200).extract().path("issue.id");

        // each kind of viewer twice, so the second read of each is from memory
        for (int round = 0; round < 2; round++) {
            assertFresh(alice, "new", secret, open);
            assertFresh(bob, "new", secret, open);
            assertFresh(mallory, "new", open);
            assertFresh(carol, "new", open);
        }
        long hits = cache.hits();
        assertFresh(carol, "new", open);
        assertThat(cache.hits()).isGreaterThan(hits);

        // assigned, carol sees it; mallory still does not
        as(alice).body(Map.of("assignees", List.of("carol" + carolId))).put(base + "/issues/" + secret + "/assignees")
                .then().statusCode(200);
        assertFresh(carol, "new", secret, open);
        assertFresh(mallory, "new", open);
        assertFresh(alice, "new", secret, open);
        assertFresh(bob, "new", secret, open);
    }

    @Test
    void aPagureWriteIsSeenByTheNextList() {
        git.commit(repoId, "main", Map.of("README.md", "hello\n"), "initial");
        int number = create(alice, "Through Pagure");
        patch(alice, number, Map.of("state", "open"));
        warm(alice, "open");
        warm(alice, "closed");
        given().auth().oauth2(alice).contentType(ContentType.URLENC).formParam("status", "Closed").formParam("close_status", "Fixed")
                .post("/api/0/acme/repo" + repoId + "/issue/" + number + "/status").then().statusCode(200);
        assertFresh(alice, "open");
        assertFresh(alice, "closed", number);

        // and Pagure's privacy switch (the issue's own row) hides it from a non-member at once
        String mallory = TestCallers.reader(NEXT_USER.incrementAndGet(), "mallory", repoId);
        assertFresh(mallory, "closed", number);
        assertFresh(mallory, "closed", number);
        sql("UPDATE issue SET is_private = true WHERE repo_id = $1 AND number = $2", repoId, number);
        awaitAnnounced();
        assertFresh(mallory, "closed");
    }

    @Test
    void aClientThatSendsTheETagBackGets304WhileTheListStands() {
        int number = create(alice, "Tagged");
        String etag = as(alice).get(base + "/issues?state=new").then().statusCode(200)
                .header("ETag", org.hamcrest.Matchers.startsWith("W/\"")).extract().header("ETag");
        long hits = cache.hits();
        long misses = cache.misses();
        String unchanged = as(alice).header("If-None-Match", etag).get(base + "/issues?state=new").then().statusCode(304)
                .header("ETag", etag).extract().asString();
        assertThat(unchanged).isEmpty();
        // weak comparison, among others, and not a page read at all (neither a hit nor a miss)
        as(alice).header("If-None-Match", "\"other\", " + etag.substring(2)).get(base + "/issues?state=new").then().statusCode(304);
        assertThat(cache.hits()).isEqualTo(hits);
        assertThat(cache.misses()).isEqualTo(misses);

        // another address, another viewer: another tag, and the whole page
        as(alice).header("If-None-Match", etag).get(base + "/issues?state=new&per_page=5").then().statusCode(200)
                .header("ETag", org.hamcrest.Matchers.not(etag));
        String mallory = TestCallers.reader(NEXT_USER.incrementAndGet(), "mallory", repoId);
        as(mallory).header("If-None-Match", etag).get(base + "/issues?state=new").then().statusCode(200)
                .header("ETag", org.hamcrest.Matchers.not(etag)).body("data.number", contains(number));

        // a change: the old tag no longer matches, the new answer has a new one
        patch(alice, number, Map.of("title", "Tagged again"));
        String changed = as(alice).header("If-None-Match", etag).get(base + "/issues?state=new").then().statusCode(200)
                .body("data.title", contains("Tagged again")).extract().header("ETag");
        assertThat(changed).isNotEqualTo(etag);
        as(alice).header("If-None-Match", changed).get(base + "/issues?state=new").then().statusCode(304);
    }

    @Test
    void aRepositoryNeverWrittenToListsNothingAndCachesNothing() {
        long misses = cache.misses();
        long hits = cache.hits();
        as(alice).get(base + "/issues").then().statusCode(200).body("data.size()", equalTo(0))
                .body("pagination.total", equalTo(0));
        assertThat(cache.misses()).isEqualTo(misses);
        assertThat(cache.hits()).isEqualTo(hits);
        // its first write inserts the row; the first list then reads
        int number = create(alice, "First ever");
        assertFresh(alice, "new", number);
        assertThat(cache.misses()).isGreaterThan(misses);
    }

    RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    int create(String token, String title) {
        return as(token).body(Map.of("title", title, "body", "")).post(base + "/issues")
                .then().statusCode(201).extract().path("data.number");
    }

    void patch(String token, int number, Map<String, Object> change) {
        as(token).body(change).patch(base + "/issues/" + number).then().statusCode(200);
    }

    String list(String token, String state) {
        return as(token).get(base + "/issues?state=" + state).then().statusCode(200).extract().asString();
    }

    /** Reads the list twice: the page is in the cache, under the list's current version. */
    void warm(String token, String state) {
        list(token, state);
        long hits = cache.hits();
        list(token, state);
        assertThat(cache.hits()).as("the second read of an unchanged list is a hit").isEqualTo(hits + 1);
    }

    /** The list is exactly these issues, each as its own answer gives it now. */
    void assertFresh(String token, String state, int... numbers) {
        String items = java.util.Arrays.stream(numbers).mapToObj(n -> one(token, n)).collect(Collectors.joining(","));
        assertThat(list(token, state)).isEqualTo("{\"data\":[" + items + "],\"pagination\":{\"page\":1,\"per_page\":30,\"total\":"
                + numbers.length + "}}");
    }

    /** The {@code data} of the issue's own answer, as written. */
    String one(String token, int number) {
        String raw = as(token).get(base + "/issues/" + number).then().statusCode(200).extract().asString();
        return raw.substring("{\"data\":".length(), raw.length() - 1);
    }

    /** A change with the triggers off, as only a superuser can make it: the list version does not move. */
    void behindTheTriggers(String statement, Object... args) {
        pool.withTransaction(tx -> tx.query("SET LOCAL session_replication_role = replica").execute()
                        .chain(() -> tx.preparedQuery(statement).execute(Tuple.from(args))))
                .await().atMost(Duration.ofSeconds(10));
    }

    /**
     * A change made in the database by another process reaches this one as PostgreSQL announces it
     * (RepoRowCache): until then the repository's row, and so its list version, may be the one in memory.
     */
    void awaitAnnounced() {
        Waits.until(Duration.ofSeconds(10), () -> !repoRows.holds(repoId), () -> "the change to repository " + repoId + " was never announced");
    }

    void sql(String statement, Object... args) {
        pool.preparedQuery(statement).execute(Tuple.from(args)).await().atMost(Duration.ofSeconds(10));
    }

    void userEvent(String type, UserChanged user) throws Exception {
        EventEnvelope event = new EventEnvelope(UUID.randomUUID(), type, 1, Instant.now(),
                new EventEnvelope.Actor(user.id(), user.username()), null, mapper.valueToTree(user));
        try (KafkaProducer<String, String> producer = kafka.producer()) {
            producer.send(new ProducerRecord<>("shoal.identity", String.valueOf(user.id()), mapper.writeValueAsString(event))).get();
        }
    }
}
