package dev.shoal.issue.pull;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.issue.support.JGitRepoGateway;
import dev.shoal.issue.support.Outboxes;
import dev.shoal.issue.support.TestCallers;
import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.schema.RepoChanged;
import dev.shoal.platform.event.schema.RepoPushed;
import dev.shoal.platform.outbox.KafkaClients;
import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.platform.testing.Waits;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "issue_test"))
class PullRequestTest {

    @Inject
    Pool pool;

    @Inject
    JGitRepoGateway git;

    @Inject
    KafkaClients kafka;

    @Inject
    ObjectMapper mapper;

    long repoId;
    String base;
    String alice;

    @BeforeEach
    void freshRepo() {
        repoId = TestCallers.newRepoId();
        base = "/api/v1/repos/acme/repo" + repoId;
        alice = TestCallers.member(41, "alice", repoId);
        git.commit(repoId, "main", Map.of("README.md", "hello\n"), "initial");
        git.commit(repoId, "feature", Map.of("src/app.txt", "feature line 1\nfeature line 2\n"), "add app");
    }

    RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    int open(String source) {
        return as(alice).body(Map.of("title", "Add " + source, "body", "This PR adds...", "source_bookmark", source))
                .post(base + "/pulls").then().statusCode(201).extract().path("data.number");
    }

    @Test
    void createResolvesBothBranchesAndValidates() {
        String head = git.head(repoId, "feature");
        String mainHead = git.head(repoId, "main");
        as(alice).body(Map.of("title", "Add new feature", "body", "This PR adds...", "source_bookmark", "feature",
                        "target_branch", "default"))
                .post(base + "/pulls").then().statusCode(201)
                .body("data.number", equalTo(1))
                .body("data.status", equalTo("open"))
                .body("data.source_bookmark", equalTo("feature"))
                .body("data.target_branch", equalTo("main"))
                .body("data.head_sha", equalTo(head))
                .body("data.base_sha", equalTo(mainHead))
                .body("data.merge_commit", nullValue())
                .body("data.approvals", equalTo(0))
                .body("data.author.username", equalTo("alice"))
                .body("data", not(hasKey("comments")));
        // Issues and pull requests share one number sequence.
        as(alice).body(Map.of("title", "an issue")).post(base + "/issues").then().body("data.number", equalTo(2));
        as(alice).body(Map.of("title", "implicit target", "source_bookmark", "feature")).post(base + "/pulls")
                .then().statusCode(201).body("data.number", equalTo(3)).body("data.target_branch", equalTo("main"));

        as(alice).body(Map.of("title", "no source")).post(base + "/pulls")
                .then().statusCode(400).body("error.message", containsString("source_bookmark is required"));
        as(alice).body(Map.of("title", "ghost", "source_bookmark", "ghost")).post(base + "/pulls")
                .then().statusCode(400).body("error.message", equalTo("source_bookmark 'ghost' is not a branch of acme/repo" + repoId));
        as(alice).body(Map.of("title", "bad target", "source_bookmark", "feature", "target_branch", "nope")).post(base + "/pulls")
                .then().statusCode(400).body("error.message", containsString("target_branch 'nope'"));
        as(alice).body(Map.of("title", "same", "source_bookmark", "main", "target_branch", "default")).post(base + "/pulls")
                .then().statusCode(400).body("error.message", containsString("the same branch (main)"));
        as(alice).body(Map.of("title", "x", "source_bookmark", 5, "extra", true)).post(base + "/pulls")
                .then().statusCode(400).body("error.code", equalTo("validation_failed"));
        as(alice).get(base + "/pulls?status=merged").then().body("data.size()", equalTo(0));
        as(alice).get(base + "/pulls").then().body("data.number", contains(3, 1)).body("pagination.total", equalTo(2));
        as(alice).get(base + "/pulls?status=draft").then().statusCode(400)
                .body("error.message", equalTo("status must be one of open, closed, merged, got 'draft'"));
        as(alice).get(base + "/pulls/77").then().statusCode(404).body("error.code", equalTo("not_found"));
        assertThat(Outboxes.types(pool, repoId)).containsExactly("pull_request.opened", "issue.opened", "pull_request.opened");
        JsonObject opened = Outboxes.events(pool, repoId).get(0).getJsonObject("data").getJsonObject("pull_request");
        assertThat(opened.getString("head_sha")).isEqualTo(head);
        assertThat(opened.getString("source_bookmark")).isEqualTo("feature");
    }

    @Test
    void mergeRecordsTheMergeCommit() throws Exception {
        int number = open("feature");
        String mainBefore = git.head(repoId, "main");
        as(alice).body(Map.of("body", "LGTM, ship it!")).post(base + "/pulls/" + number + "/comments")
                .then().statusCode(201).body("data.body", equalTo("LGTM, ship it!"));
        String sha = as(alice).body(Map.of("method", "merge")).post(base + "/pulls/" + number + "/merge")
                .then().statusCode(200)
                .body("data.status", equalTo("merged"))
                .body("data.merged_by.username", equalTo("alice"))
                .body("data.merged_at", not(nullValue()))
                .body("data.comments.size()", equalTo(1))
                .extract().path("data.merge_commit");
        assertThat(sha).isEqualTo(git.head(repoId, "main"));
        assertThat(git.read(repoId, "main", "src/app.txt")).isEqualTo("feature line 1\nfeature line 2\n");
        try (RevWalk walk = new RevWalk(git.repository(repoId))) {
            RevCommit merge = walk.parseCommit(ObjectId.fromString(sha));
            assertThat(merge.getParentCount()).isEqualTo(2);
            assertThat(merge.getParent(0).name()).isEqualTo(mainBefore);
            assertThat(merge.getFullMessage()).startsWith("Merge pull request #" + number + " from feature");
        }
        as(alice).get(base + "/pulls?status=merged").then().body("data.number", contains(number));
        as(alice).post(base + "/pulls/" + number + "/merge").then().statusCode(409)
                .body("error.code", equalTo("conflict")).body("error.message", containsString("already merged"));
        // A merged pull request still shows what it changed, from its recorded commits.
        as(alice).get(base + "/pulls/" + number + "/files").then().statusCode(200)
                .body("data.path", contains("src/app.txt")).body("data[0].additions", equalTo(2));
        assertThat(Outboxes.types(pool, repoId))
                .containsExactly("pull_request.opened", "pull_request.commented", "pull_request.merged");
        JsonObject merged = Outboxes.events(pool, repoId).get(2).getJsonObject("data").getJsonObject("pull_request");
        assertThat(merged.getString("merge_commit")).isEqualTo(sha);
        assertThat(merged.getString("status")).isEqualTo("merged");
    }

    @Test
    void squashMakesOneCommitOnTheTarget() throws Exception {
        git.commit(repoId, "feature", Map.of("src/more.txt", "more\n"), "second commit");
        int number = open("feature");
        String mainBefore = git.head(repoId, "main");
        String sha = as(alice).body(Map.of("method", "squash")).post(base + "/pulls/" + number + "/merge")
                .then().statusCode(200).extract().path("data.merge_commit");
        try (RevWalk walk = new RevWalk(git.repository(repoId))) {
            RevCommit squashed = walk.parseCommit(ObjectId.fromString(sha));
            assertThat(squashed.getParentCount()).isEqualTo(1);
            assertThat(squashed.getParent(0).name()).isEqualTo(mainBefore);
        }
        as(alice).body(Map.of("method", "octopus")).post(base + "/pulls/" + number + "/merge").then().statusCode(400)
                .body("error.message", equalTo("method must be one of merge, squash, rebase, fast_forward, got 'octopus'"));
    }

    @Test
    void conflictAnswers409WithPathsAndThePullRequestStaysOpen() {
        git.commit(repoId, "clash", Map.of("README.md", "theirs\n"), "theirs");
        git.commit(repoId, "main", Map.of("README.md", "ours\n"), "ours");
        String mainBefore = git.head(repoId, "main");
        int number = open("clash");
        as(alice).post(base + "/pulls/" + number + "/merge").then().statusCode(409)
                .body("error.code", equalTo("merge_conflict"))
                .body("error.details.paths", contains("README.md"));
        as(alice).get(base + "/pulls/" + number).then().body("data.status", equalTo("open"))
                .body("data.merge_commit", nullValue());
        assertThat(git.head(repoId, "main")).isEqualTo(mainBefore);
        assertThat(Outboxes.types(pool, repoId)).containsExactly("pull_request.opened");
    }

    @Test
    void racingMergesMergeOnce() throws Exception {
        int number = open("feature");
        String mainBefore = git.head(repoId, "main");
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Response>> merges = List.of(1, 2).stream().map(i -> CompletableFuture.supplyAsync(() -> {
            try {
                start.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return as(alice).body(Map.of("method", "merge")).post(base + "/pulls/" + number + "/merge");
        })).toList();
        start.countDown();
        List<Response> responses = merges.stream().map(CompletableFuture::join).toList();
        assertThat(responses.stream().map(Response::statusCode).sorted().toList()).containsExactly(200, 409);
        Response refused = responses.stream().filter(r -> r.statusCode() == 409).findFirst().orElseThrow();
        assertThat(refused.jsonPath().getString("error.code")).isEqualTo("conflict");
        assertThat(refused.jsonPath().getString("error.message")).contains("already merged");
        // Exactly one merge commit on top of the old main.
        try (RevWalk walk = new RevWalk(git.repository(repoId))) {
            RevCommit head = walk.parseCommit(ObjectId.fromString(git.head(repoId, "main")));
            assertThat(head.getParent(0).name()).isEqualTo(mainBefore);
        }
        assertThat(Outboxes.types(pool, repoId)).containsExactly("pull_request.opened", "pull_request.merged");
    }

    @Test
    void requiredApprovalsCountMembersOnTheCurrentHead() {
        String owner = TestCallers.owner(42, "olga", repoId);
        String bob = TestCallers.member(43, "bob", repoId);
        String outsider = TestCallers.reader(44, "eve", repoId);
        as(owner).body(Map.of("required_approvals", 1)).put(base + "/pull-settings")
                .then().statusCode(200).body("data.required_approvals", equalTo(1));
        as(owner).body(Map.of("required_approvals", -1)).put(base + "/pull-settings").then().statusCode(400);
        int number = open("feature");
        as(alice).post(base + "/pulls/" + number + "/merge").then().statusCode(409)
                .body("error.code", equalTo("approvals_required")).body("error.details.required", equalTo(1));
        as(alice).body(Map.of("state", "approve")).post(base + "/pulls/" + number + "/reviews")
                .then().statusCode(400).body("error.message", containsString("your own pull request"));
        as(outsider).body(Map.of("state", "approve")).post(base + "/pulls/" + number + "/reviews").then().statusCode(201);
        as(alice).get(base + "/pulls/" + number).then().body("data.approvals", equalTo(0));
        String head = git.head(repoId, "feature");
        as(bob).body(Map.of("state", "approve", "body", "nice", "comments",
                        List.of(Map.of("path", "src/app.txt", "line", 2, "body", "typo?"))))
                .post(base + "/pulls/" + number + "/reviews").then().statusCode(201)
                .body("data.state", equalTo("approve")).body("data.commit_sha", equalTo(head))
                .body("data.comments[0].path", equalTo("src/app.txt")).body("data.comments[0].commit_sha", equalTo(head));
        as(bob).body(Map.of("state", "comment", "comments", List.of(Map.of("path", "../etc/passwd", "line", 1, "body", "x"))))
                .post(base + "/pulls/" + number + "/reviews").then().statusCode(400)
                .body("error.message", containsString("relative path"));
        as(alice).get(base + "/pulls/" + number).then().body("data.approvals", equalTo(1));
        as(alice).get(base + "/pulls/" + number + "/reviews").then().body("data.author.username", contains("eve", "bob"));

        // A new push makes the approval stale: the merge re-resolves the branch and refuses.
        git.commit(repoId, "feature", Map.of("src/app.txt", "changed after review\n"), "late change");
        as(alice).post(base + "/pulls/" + number + "/merge").then().statusCode(409).body("error.code", equalTo("approvals_required"));
        as(alice).get(base + "/pulls/" + number).then().body("data.head_sha", equalTo(git.head(repoId, "feature")))
                .body("data.approvals", equalTo(0));
        as(bob).body(Map.of("state", "approve")).post(base + "/pulls/" + number + "/reviews").then().statusCode(201);
        as(alice).post(base + "/pulls/" + number + "/merge").then().statusCode(200).body("data.status", equalTo("merged"));
    }

    @Test
    void diffAndFilesCompareTargetWithSource() {
        int number = open("feature");
        as(alice).get(base + "/pulls/" + number + "/diff").then().statusCode(200)
                .body("data.diff", containsString("+++ b/src/app.txt"))
                .body("data.diff", containsString("+feature line 1"))
                .body("data.truncated", equalTo(false));
        as(alice).get(base + "/pulls/" + number + "/files").then().statusCode(200)
                .body("data.path", contains("src/app.txt")).body("data[0].status", equalTo("added"))
                .body("data[0].additions", equalTo(2)).body("data[0].deletions", equalTo(0));
    }

    @Test
    void updateClosesAndReopensForTheAuthorOrOwnerOnly() {
        int number = open("feature");
        as(TestCallers.member(43, "bob", repoId)).body(Map.of("title", "mine now")).patch(base + "/pulls/" + number)
                .then().statusCode(403);
        as(alice).body(Map.of("state", "closed")).patch(base + "/pulls/" + number).then().statusCode(200)
                .body("data.status", equalTo("closed")).body("data.closed_at", not(nullValue()));
        as(alice).post(base + "/pulls/" + number + "/merge").then().statusCode(409).body("error.message", containsString("closed"));
        as(alice).body(Map.of("state", "merged")).patch(base + "/pulls/" + number).then().statusCode(400)
                .body("error.message", equalTo("state must be one of open, closed, got 'merged'"));
        as(TestCallers.owner(42, "olga", repoId)).body(Map.of("state", "open", "title", "Reopened")).patch(base + "/pulls/" + number)
                .then().statusCode(200).body("data.status", equalTo("open")).body("data.title", equalTo("Reopened"));
        assertThat(Outboxes.types(pool, repoId))
                .containsExactly("pull_request.opened", "pull_request.closed", "pull_request.updated");
    }

    @Test
    void pushesMoveTheHeadAndDeletionHidesEverything() throws Exception {
        int number = open("feature");
        as(alice).body(Map.of("title", "an issue")).post(base + "/issues").then().statusCode(201);
        String before = git.head(repoId, "feature");
        String after = git.commit(repoId, "feature", Map.of("src/app.txt", "pushed\n"), "push");
        EventEnvelope.RepoRef ref = new EventEnvelope.RepoRef(repoId, "acme", "repo" + repoId, false);
        publish(new EventEnvelope(UUID.randomUUID(), "repo.pushed", 1, Instant.now(), new EventEnvelope.Actor(41L, "alice"), ref,
                mapper.valueToTree(new RepoPushed("refs/heads/feature", before, after, List.of(), new RepoPushed.Pusher(41L, "alice")))));
        await(() -> after.equals(as(alice).get(base + "/pulls/" + number).jsonPath().getString("data.head_sha")));
        await(() -> Outboxes.types(pool, repoId).contains("pull_request.updated"));
        JsonObject updated = Outboxes.events(pool, repoId).stream()
                .filter(e -> e.getString("type").equals("pull_request.updated")).findFirst().orElseThrow();
        assertThat(updated.getJsonObject("data").getJsonObject("pull_request").getString("head_sha")).isEqualTo(after);

        publish(new EventEnvelope(UUID.randomUUID(), "repo.deleted", 1, Instant.now(), new EventEnvelope.Actor(41L, "alice"), ref,
                mapper.valueToTree(new RepoChanged(repoId, 1, "acme", "repo" + repoId, "", false, "main"))));
        await(() -> as(alice).get(base + "/pulls/" + number).statusCode() == 404);
        as(alice).get(base + "/issues?state=new").then().statusCode(404).body("error.code", equalTo("not_found"));
        as(alice).body(Map.of("title", "too late")).post(base + "/issues").then().statusCode(404);
    }

    @Test
    void issueTemplatesAreReadFromTheRepository() {
        git.commit(repoId, "main", Map.of(
                ".shoal/ISSUE_TEMPLATE/bug_report.md", "---\nname: Bug report\ntitle: \"Bug: \"\n---\nSteps to reproduce:\n",
                ".shoal/ISSUE_TEMPLATE/feature.md", "# Feature request\nWhat should it do?\n",
                ".shoal/ISSUE_TEMPLATE/notes.txt", "not a template"), "templates");
        as(alice).get(base + "/issue-templates").then().statusCode(200)
                .body("data.name", contains("Bug report", "feature"))
                .body("data[0].title", equalTo("Bug: "))
                .body("data[0].body", equalTo("Steps to reproduce:\n"))
                .body("data[1].title", equalTo("Feature request"));
        long empty = TestCallers.newRepoId();
        git.commit(empty, "main", Map.of("README.md", "x\n"), "initial");
        given().auth().oauth2(TestCallers.member(41, "alice", empty)).get("/api/v1/repos/acme/repo" + empty + "/issue-templates")
                .then().statusCode(200).body("data.size()", equalTo(0));
    }

    private void publish(EventEnvelope event) throws Exception {
        try (KafkaProducer<String, String> producer = kafka.producer()) {
            producer.send(new ProducerRecord<>("shoal.repo", String.valueOf(repoId), mapper.writeValueAsString(event))).get();
        }
    }

    private static void await(BooleanSupplier condition) {
        Waits.until(Duration.ofSeconds(30), condition, () -> "condition not met");
    }
}
