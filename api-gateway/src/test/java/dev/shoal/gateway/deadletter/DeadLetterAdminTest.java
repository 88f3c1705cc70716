package dev.shoal.gateway.deadletter;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.gateway.GatewayTestResources;
import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.Topics;
import dev.shoal.platform.messaging.DeadLetter;
import dev.shoal.platform.outbox.KafkaClients;
import dev.shoal.platform.testing.Waits;
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
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Issue #18 item 5: a site admin lists the dead-letter topic and replays a dead letter through the
 * gateway; the replayed event is applied once by its consumer (here the gateway's own repository
 * directory), however often it is replayed. Nobody else may see or replay dead letters.
 */
@QuarkusTest
@GatewayTestResources
class DeadLetterAdminTest {

    private static final String ADMIN_TOKEN = "shoal_pat_AdminAdminAdminAdminAdminAdminAdminAdmin";
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    @Inject
    KafkaClients kafka;

    @Inject
    Pool pool;

    private static RequestSpecification as(String token) {
        RequestSpecification spec = given().contentType(ContentType.JSON);
        return token == null ? spec : spec.header("Authorization", "Bearer " + token);
    }

    /** A repo.created event the directory consumer gave up on, written as IdempotentConsumers writes it. */
    private DeadLetter deadLetter(long repoId, String name) throws Exception {
        return deadLetter(repoId, name, "repo.created");
    }

    private DeadLetter deadLetter(long repoId, String name, String type) throws Exception {
        UUID eventId = UUID.randomUUID();
        Map<String, Object> event = Map.of("id", eventId.toString(), "type", type, "version", 1,
                "occurred_at", Instant.now().toString(), "actor", Map.of("id", 1, "login", "admin"),
                "repo", Map.of("id", repoId, "org", "dl-org", "name", name, "is_private", false),
                "data", Map.of("id", repoId, "org_id", 7, "org", "dl-org", "name", name, "description", "",
                        "is_private", false, "default_branch", "main"));
        DeadLetter letter = new DeadLetter(Topics.REPO, 2, 41, String.valueOf(repoId), "shoal.gateway-repo-directory",
                "api-gateway", "gateway-repo-directory", eventId.toString(), type, "java.lang.IllegalStateException",
                "directory unavailable", 6, Instant.now(), JSON.writeValueAsString(event));
        try (KafkaProducer<String, String> producer = kafka.producer()) {
            producer.send(new ProducerRecord<>(Topics.DEAD_LETTER, letter.key(), JSON.writeValueAsString(letter))).get(15, TimeUnit.SECONDS);
        }
        return letter;
    }

    @Test
    void aSiteAdminListsAndReplaysADeadLetterWhichIsAppliedOnce() throws Exception {
        long repoId = 900_000_000L + ThreadLocalRandom.current().nextInt(1_000_000);
        String name = "dl-" + UUID.randomUUID().toString().substring(0, 8);
        DeadLetter letter = deadLetter(repoId, name);

        List<Map<String, Object>> listed = as(ADMIN_TOKEN).queryParam("per_page", "100").get("/api/v1/admin/dead-letters")
                .then().statusCode(200).body("pagination.page", equalTo(1)).extract().path("data");
        Map<String, Object> shown = listed.stream().filter(l -> letter.eventId().equals(l.get("event_id"))).findFirst().orElseThrow();
        assertThat(shown).containsEntry("topic", Topics.REPO).containsEntry("partition", 2).containsEntry("offset", 41)
                .containsEntry("key", String.valueOf(repoId)).containsEntry("consumer_group", "shoal.gateway-repo-directory")
                .containsEntry("service", "api-gateway").containsEntry("event_type", "repo.created")
                .containsEntry("error_class", "java.lang.IllegalStateException").containsEntry("error_message", "directory unavailable")
                .containsEntry("attempts", 6).containsEntry("value", letter.value());
        String id = (String) shown.get("id");
        assertThat(id).matches("\\d+-\\d+");
        as(ADMIN_TOKEN).queryParam("service", "no-such-service").get("/api/v1/admin/dead-letters")
                .then().statusCode(200).body("data.size()", equalTo(0)).body("pagination.total", equalTo(0));
        assertThat(directoryRows(repoId)).isZero();

        as(ADMIN_TOKEN).post("/api/v1/admin/dead-letters/" + id + "/replay").then().statusCode(202)
                .body("data.id", equalTo(id)).body("data.event_id", equalTo(letter.eventId()));
        awaitRows(repoId);
        // a second replay is harmless: the consumer has the event id already
        as(ADMIN_TOKEN).post("/api/v1/admin/dead-letters/" + id + "/replay").then().statusCode(202);
        // then a later event of the same repository (same key, same partition): once it is applied,
        // the duplicate before it has been seen
        DeadLetter rename = deadLetter(repoId, name + "-renamed", "repo.updated");
        String renameId = awaitId(rename.eventId());
        as(ADMIN_TOKEN).post("/api/v1/admin/dead-letters/" + renameId + "/replay").then().statusCode(202);
        awaitName(repoId, name + "-renamed");
        assertThat(directoryRows(repoId)).isEqualTo(1);
        assertThat(pool.preparedQuery("SELECT count(*) FROM applied_event WHERE consumer = 'gateway-repo-directory' AND event_id = $1")
                .execute(Tuple.of(UUID.fromString(letter.eventId()))).await().atMost(Duration.ofSeconds(5))
                .iterator().next().getLong(0)).isEqualTo(1);

        as(ADMIN_TOKEN).post("/api/v1/admin/dead-letters/0-999999999/replay").then().statusCode(404)
                .body("error.code", equalTo("not_found")).body("error.message", containsString("no dead letter 0-999999999"));
        as(ADMIN_TOKEN).post("/api/v1/admin/dead-letters/latest/replay").then().statusCode(400)
                .body("error.code", equalTo("validation_failed")).body("error.message", containsString("<partition>-<offset>"));
    }

    @Test
    void onlySiteAdminsMaySeeOrReplayDeadLetters() throws Exception {
        DeadLetter letter = deadLetter(800_000_000L + ThreadLocalRandom.current().nextInt(1_000_000), "dl-private");
        String user = "dl-user-" + UUID.randomUUID().toString().substring(0, 8);
        as(ADMIN_TOKEN).body(Map.of("username", user, "email", user + "@example.com", "display_name", user))
                .post("/api/v1/admin/users").then().statusCode(201);
        String adminScoped = token(user, "admin");
        String readScoped = token(user, "read");

        for (String path : List.of("/api/v1/admin/dead-letters", "/api/v1/admin/dead-letters/0-0/replay")) {
            boolean get = !path.endsWith("/replay");
            // anonymous: the route needs a user (401); a user's admin-scoped token: not a site admin (403);
            // a read-only token: the scope is short (403)
            String anonymous = (get ? as(null).get(path) : as(null).post(path)).then().statusCode(401)
                    .body("error.code", equalTo("unauthorized")).extract().asString();
            String ordinary = (get ? as(adminScoped).get(path) : as(adminScoped).post(path)).then().statusCode(403)
                    .body("error.code", equalTo("forbidden")).extract().asString();
            String narrow = (get ? as(readScoped).get(path) : as(readScoped).post(path)).then().statusCode(403)
                    .body("error.code", equalTo("insufficient_scope")).extract().asString();
            for (String body : List.of(anonymous, ordinary, narrow)) {
                assertThat(body).doesNotContain(letter.eventId()).doesNotContain("dl-private");
            }
        }
    }

    @Test
    void theRoutesAreInThePublicOpenApiDocument() {
        given().get("/api/v1/openapi.json").then().statusCode(200)
                .body("paths.'/api/v1/admin/dead-letters'.get", org.hamcrest.Matchers.notNullValue())
                .body("paths.'/api/v1/admin/dead-letters/{id}/replay'.post", org.hamcrest.Matchers.notNullValue());
    }

    private static String token(String user, String scope) {
        return as(ADMIN_TOKEN).body(Map.of("name", "t", "scopes", List.of(scope))).post("/api/v1/admin/users/" + user + "/tokens")
                .then().statusCode(201).extract().path("data.token");
    }

    private long directoryRows(long repoId) {
        return pool.preparedQuery("SELECT count(*) FROM repo_directory WHERE id = $1").execute(Tuple.of(repoId))
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0);
    }

    private static String awaitId(String eventId) {
        return Waits.until(Duration.ofSeconds(60), () -> {
            List<Map<String, Object>> listed = as(ADMIN_TOKEN).queryParam("per_page", "100").get("/api/v1/admin/dead-letters")
                    .then().statusCode(200).extract().path("data");
            return listed.stream().filter(l -> eventId.equals(l.get("event_id"))).findFirst();
        }, Optional::isPresent, "the dead letter of event " + eventId + " listed").map(l -> (String) l.get("id")).orElseThrow();
    }

    private void awaitName(long repoId, String name) {
        Waits.until(Duration.ofSeconds(60), () -> name.equals(pool.preparedQuery("SELECT name FROM repo_directory WHERE id = $1")
                .execute(Tuple.of(repoId)).await().atMost(Duration.ofSeconds(5)).iterator().next().getString(0)),
                () -> "the replayed rename was not applied");
    }

    private void awaitRows(long repoId) {
        Waits.until(Duration.ofSeconds(60), () -> directoryRows(repoId) > 0, () -> "the replayed event was not applied");
    }
}
