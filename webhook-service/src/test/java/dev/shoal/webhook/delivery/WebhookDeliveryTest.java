package dev.shoal.webhook.delivery;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.EventTypes;
import dev.shoal.platform.event.Topics;
import dev.shoal.platform.event.schema.RepoPushed;
import dev.shoal.platform.outbox.Outbox;
import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.platform.testing.Waits;
import dev.shoal.webhook.support.Api;
import dev.shoal.webhook.support.Receiver.Received;
import dev.shoal.webhook.support.Receiver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hooks deliver to a real HTTP receiver on loopback (allowed in the test profile), events come
 * through the real outbox, relay and Kafka broker, and every assertion reads what the receiver got
 * or what the API answers.
 */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "webhook_test"))
class WebhookDeliveryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static Receiver receiver;

    @Inject
    Pool pool;

    @Inject
    Outbox outbox;

    @Inject
    ObjectMapper mapper;

    @BeforeAll
    static void startReceiver() {
        receiver = new Receiver();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @Test
    void creatingAHookSendsASignedPing() throws Exception {
        Api api = new Api();
        String secret = "s3cr3t-" + UUID.randomUUID();
        String body = given().auth().oauth2(api.token).contentType("application/json")
                .body("{\"url\": \"" + receiver.url("/ping") + "\", \"secret\": \"" + secret + "\", \"events\": [\"push\", \"issue\"]}")
                .when().post(api.base())
                .then().statusCode(201)
                .body("data.url", equalTo(receiver.url("/ping")))
                .body("data.events", equalTo(List.of("push", "issue")))
                .body("data.is_active", equalTo(true))
                .body("data.content_type", equalTo("json"))
                .extract().asString();
        assertThat(body).doesNotContain(secret).doesNotContain("\"secret\"").contains("\"disabled_reason\":null");
        long hookId = JsonPath.from(body).getLong("data.id");

        Received ping = receiver.await("/ping", 1, WAIT).get(0);
        assertThat(ping.header("X-Shoal-Event")).isEqualTo("ping");
        assertThat(ping.header("Content-Type")).isEqualTo("application/json");
        assertThat(ping.header("User-Agent")).startsWith("Shoal-Hookshot/");
        assertThat(ping.header("Host")).isEqualTo("127.0.0.1:" + receiver.port());
        assertThat(ping.header("X-Shoal-Signature-256")).isEqualTo(Api.hmac(secret, ping.body()));
        assertThat(ping.header("X-Hub-Signature-256")).isEqualTo(ping.header("X-Shoal-Signature-256"));
        assertThat(ping.text()).doesNotContain(secret);
        JsonNode payload = mapper.readTree(ping.body());
        assertThat(payload.path("hook_id").asLong()).isEqualTo(hookId);
        assertThat(payload.path("repository").path("full_name").asText()).isEqualTo(api.org + "/" + api.name);
        assertThat(payload.path("sender").path("login").asText()).isEqualTo("olive");

        Waits.until(WAIT, () -> "succeeded".equals(api.get("/" + hookId + "/deliveries").getString("data[0].status")),
                () -> "ping not recorded as succeeded");
        JsonPath list = api.get("/" + hookId + "/deliveries");
        assertThat(list.getList("data")).hasSize(1);
        assertThat(list.getMap("data[0]").keySet()).containsExactlyInAnyOrder("id", "event_type", "response_code",
                "duration_ms", "success", "delivered_at", "delivery_uuid", "attempts", "status");
        assertThat(list.getString("data[0].event_type")).isEqualTo("ping");
        assertThat(list.getInt("data[0].response_code")).isEqualTo(200);
        assertThat(list.getBoolean("data[0].success")).isTrue();
        assertThat(list.getInt("data[0].attempts")).isEqualTo(1);
        assertThat(list.getString("data[0].delivery_uuid")).isEqualTo(ping.header("X-Shoal-Delivery"));
        assertThat(list.getString("data[0].delivered_at")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");

        long deliveryId = list.getLong("data[0].id");
        String detail = given().auth().oauth2(api.token).when().get(api.base() + "/" + hookId + "/deliveries/" + deliveryId)
                .then().statusCode(200)
                .body("data.request.headers.X-Shoal-Delivery", equalTo(ping.header("X-Shoal-Delivery")))
                .body("data.request.headers.X-Shoal-Signature-256", equalTo(ping.header("X-Shoal-Signature-256")))
                .body("data.request.body.hook_id", equalTo((int) hookId))
                .body("data.response.status", equalTo(200))
                .body("data.response.headers.X-receiver", equalTo("test"))
                .body("data.response.body", equalTo("{\"ok\":true}"))
                .body("data.history.size()", equalTo(1))
                .extract().asString();
        assertThat(detail).doesNotContain(secret);
        assertThat(given().auth().oauth2(api.token).when().get(api.base()).then().statusCode(200)
                .body("data[0].id", equalTo((int) hookId)).extract().asString()).doesNotContain(secret);
    }

    @Test
    void aPushEventThroughTheOutboxIsDeliveredOnceAndSigned() throws Exception {
        Api api = new Api();
        String secret = "push-secret";
        long hookId = api.createHook(receiver.url("/push"), secret, "[\"push\"]");
        receiver.await("/push", 1, WAIT);

        String after = "b".repeat(40);
        RepoPushed pushed = new RepoPushed("refs/heads/main", "a".repeat(40), after,
                List.of(new RepoPushed.Commit(after, "Fix the frobnicator", "Olive <olive@example.com>")),
                new RepoPushed.Pusher(7L, "olive"));
        EventEnvelope.RepoRef repo = new EventEnvelope.RepoRef(api.repoId, api.org, api.name, false);
        pool.withTransaction(tx -> outbox.append(tx, EventTypes.REPO_PUSHED, new EventEnvelope.Actor(7L, "olive"), repo,
                pushed, api.repoId)).await().atMost(Duration.ofSeconds(10));
        // an issue event on the same repository: this hook did not subscribe to issues
        ObjectNode issue = mapper.createObjectNode().put("number", 1).put("title", "Broken");
        pool.withTransaction(tx -> outbox.append(tx, Topics.ISSUE, String.valueOf(api.repoId), new EventEnvelope(
                UUID.randomUUID(), "issue.opened", 1, Instant.now(), new EventEnvelope.Actor(7L, "olive"), repo, issue)))
                .await().atMost(Duration.ofSeconds(10));

        List<Received> all = receiver.await("/push", 2, WAIT);
        Received push = all.get(1);
        assertThat(push.header("X-Shoal-Event")).isEqualTo("push");
        assertThat(push.header("X-Shoal-Signature-256")).isEqualTo(Api.hmac(secret, push.body()));
        assertThat(push.header("X-Hub-Signature-256")).isEqualTo(Api.hmac(secret, push.body()));
        JsonNode payload = mapper.readTree(push.body());
        assertThat(payload.path("ref").asText()).isEqualTo("refs/heads/main");
        assertThat(payload.path("before").asText()).isEqualTo("a".repeat(40));
        assertThat(payload.path("after").asText()).isEqualTo(after);
        assertThat(payload.path("commits").get(0).path("message").asText()).isEqualTo("Fix the frobnicator");
        assertThat(payload.path("pusher").path("login").asText()).isEqualTo("olive");
        assertThat(payload.path("compare").asText()).endsWith("/acme/" + api.name + "/compare/" + "a".repeat(40) + "..." + after);
        assertThat(payload.path("repository").path("id").asLong()).isEqualTo(api.repoId);
        assertThat(payload.path("repository").path("private").asBoolean()).isFalse();

        // no duplicate (nor the unsubscribed issue event) shows up: the count holds for 1.5 s
        Waits.holds(Duration.ofMillis(1500), () -> receiver.at("/push").size() == 2,
                () -> "expected the ping and one push, got " + receiver.at("/push").size());
        JsonPath list = api.get("/" + hookId + "/deliveries");
        assertThat(list.getList("data.event_type")).containsExactly("push", "ping");
        assertThat(list.getString("data[0].delivery_uuid")).isEqualTo(push.header("X-Shoal-Delivery"));
    }

    @Test
    void failedAttemptsAreRetriedWithTheSameDeliveryUuidUntilTheySucceed() {
        Api api = new Api();
        receiver.script("/flaky", 500, 500, 200);
        long hookId = api.createHook(receiver.url("/flaky"), "flaky-secret", "[\"push\"]");

        List<Received> attempts = receiver.await("/flaky", 3, WAIT);
        assertThat(attempts).extracting(r -> r.header("X-Shoal-Delivery")).containsOnly(attempts.get(0).header("X-Shoal-Delivery"));
        assertThat(attempts).extracting(r -> r.header("X-Shoal-Signature-256"))
                .containsOnly(Api.hmac("flaky-secret", attempts.get(0).body()));
        Waits.until(WAIT, () -> "succeeded".equals(api.get("/" + hookId + "/deliveries").getString("data[0].status")),
                () -> "delivery did not end succeeded");
        JsonPath list = api.get("/" + hookId + "/deliveries");
        assertThat(list.getInt("data[0].attempts")).isEqualTo(3);
        assertThat(list.getInt("data[0].response_code")).isEqualTo(200);
        JsonPath detail = api.get("/" + hookId + "/deliveries/" + list.getLong("data[0].id"));
        assertThat(detail.getList("data.history.response_code")).containsExactly(200, 500, 500);
        assertThat(detail.getString("data.history[2].error")).contains("HTTP 500");
        assertThat(api.get("/" + hookId).getBoolean("data.is_active")).isTrue();
    }

    @Test
    void consecutiveFailedDeliveriesDeactivateTheHookWithAReason() {
        Api api = new Api();
        receiver.alwaysAnswer("/down", 503);
        long hookId = api.createHook(receiver.url("/down"), "down-secret", "[\"push\"]");
        // the test profile allows 4 attempts per delivery and deactivates after 3 failed deliveries
        receiver.await("/down", 4, WAIT);
        pushEvents(api, 2);

        Waits.until(WAIT, () -> !api.get("/" + hookId).getBoolean("data.is_active"), () -> "hook still active");
        JsonPath hook = api.get("/" + hookId);
        assertThat(hook.getString("data.disabled_reason"))
                .contains("3 consecutive failed deliveries").contains("HTTP 503");
        JsonPath list = api.get("/" + hookId + "/deliveries");
        assertThat(list.getList("data.status")).containsOnly("failed");
        assertThat(list.getList("data.attempts", Integer.class)).containsOnly(4);
        assertThat(receiver.at("/down")).hasSize(12);

        given().auth().oauth2(api.token)
                .when().post(api.base() + "/" + hookId + "/deliveries/" + list.getLong("data[0].id") + "/redeliver")
                .then().statusCode(409).body("error.code", equalTo("conflict")).body("error.message", containsString("is_active"));

        given().auth().oauth2(api.token).contentType("application/json").body("{\"is_active\": true}")
                .when().patch(api.base() + "/" + hookId)
                .then().statusCode(200).body("data.is_active", equalTo(true)).body("data.disabled_reason", equalTo(null));
    }

    @Test
    void redeliverSendsTheSameDeliveryAgain() {
        Api api = new Api();
        long hookId = api.createHook(receiver.url("/again"), "again-secret", "[\"push\"]");
        Received first = receiver.await("/again", 1, WAIT).get(0);
        Waits.until(WAIT, () -> "succeeded".equals(api.get("/" + hookId + "/deliveries").getString("data[0].status")),
                () -> "ping not done");
        long deliveryId = api.get("/" + hookId + "/deliveries").getLong("data[0].id");

        given().auth().oauth2(api.token).when().post(api.base() + "/" + hookId + "/deliveries/" + deliveryId + "/redeliver")
                .then().statusCode(202).body("data.id", equalTo((int) deliveryId))
                .body("data.delivery_uuid", equalTo(first.header("X-Shoal-Delivery")));

        Received second = receiver.await("/again", 2, WAIT).get(1);
        assertThat(second.header("X-Shoal-Delivery")).isEqualTo(first.header("X-Shoal-Delivery"));
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(second.header("X-Shoal-Signature-256")).isEqualTo(first.header("X-Shoal-Signature-256"));
        Waits.until(WAIT, () -> api.get("/" + hookId + "/deliveries").getInt("data[0].attempts") == 2, () -> "second attempt not recorded");
        JsonPath list = api.get("/" + hookId + "/deliveries");
        assertThat(list.getList("data")).hasSize(1);
        assertThat(list.getString("data[0].status")).isEqualTo("succeeded");
    }

    @Test
    void aTargetThatIsBlockedAtSendTimeFailsWithARecordedReason() {
        Api api = new Api();
        long hookId = api.createHook(receiver.url("/never"), "blocked-secret", "[\"push\"]");
        receiver.await("/never", 1, WAIT);
        // as if the URL had been stored under a looser allow-list: the dispatcher checks again
        pool.preparedQuery("UPDATE hook SET url = $2 WHERE id = $1")
                .execute(Tuple.of(hookId, "http://169.254.169.254:" + receiver.port() + "/latest/meta-data"))
                .await().atMost(Duration.ofSeconds(5));
        pushEvents(api, 1);

        Waits.until(WAIT, () -> "failed".equals(api.get("/" + hookId + "/deliveries").getString("data[0].status")),
                () -> "blocked delivery not failed");
        JsonPath list = api.get("/" + hookId + "/deliveries");
        assertThat(list.getInt("data[0].attempts")).isEqualTo(1);
        JsonPath detail = api.get("/" + hookId + "/deliveries/" + list.getLong("data[0].id"));
        assertThat(detail.getString("data.error")).contains("blocked target").contains("metadata");
        assertThat(detail.getMap("data")).containsEntry("response", null);
        assertThat(receiver.at("/never")).hasSize(1);
    }

    private void pushEvents(Api api, int count) {
        EventEnvelope.RepoRef repo = new EventEnvelope.RepoRef(api.repoId, api.org, api.name, false);
        for (int i = 0; i < count; i++) {
            String after = String.format("%040x", i + 1);
            RepoPushed pushed = new RepoPushed("refs/heads/main", "0".repeat(40), after, List.of(), new RepoPushed.Pusher(7L, "olive"));
            pool.withTransaction(tx -> outbox.append(tx, EventTypes.REPO_PUSHED, new EventEnvelope.Actor(7L, "olive"), repo,
                    pushed, api.repoId)).await().atMost(Duration.ofSeconds(10));
        }
    }

}
