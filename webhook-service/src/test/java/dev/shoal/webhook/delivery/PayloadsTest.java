package dev.shoal.webhook.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.platform.config.PublicUrl;
import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.schema.IssueEvent;
import dev.shoal.webhook.delivery.service.Payloads;
import dev.shoal.webhook.repo.RepoInfo;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Bodies built from the real event schemas, as the issue and pull request services emit them. */
class PayloadsTest {

    private final ObjectMapper mapper = new ObjectMapper().findAndRegisterModules();
    private final Payloads payloads = new Payloads(mapper, new PublicUrl("https://forge.example/"));
    private final RepoInfo repo = new RepoInfo(7, "acme", "app", false, null, "main");

    @Test
    void anIssueEventPutsTheIssueAndItsCommentAtTheTop() throws Exception {
        IssueEvent.User olive = new IssueEvent.User(3L, "olive");
        IssueEvent data = new IssueEvent(new IssueEvent.Issue(11, 4, "Broken", "steps", "new", olive, java.util.List.of(),
                java.util.List.of(), null, false, null, null, null), new IssueEvent.Comment(5, "me too", olive, null));
        JsonNode body = mapper.readTree(payloads.forEvent(envelope("issue.commented", data), "issue", repo));
        assertThat(body.path("action").asText()).isEqualTo("commented");
        assertThat(body.path("issue").path("number").asLong()).isEqualTo(4);
        assertThat(body.path("issue").path("title").asText()).isEqualTo("Broken");
        assertThat(body.path("issue").has("issue")).isFalse();
        assertThat(body.path("comment").path("body").asText()).isEqualTo("me too");
        assertThat(body.path("repository").path("full_name").asText()).isEqualTo("acme/app");
    }

    @Test
    void aPullRequestEventPutsThePullRequestAtTheTop() throws Exception {
        JsonNode data = mapper.createObjectNode().set("pull_request", mapper.createObjectNode().put("number", 9).put("title", "Fix"));
        JsonNode body = mapper.readTree(payloads.forEvent(envelope("pull_request.opened", data), "pull_request", repo));
        assertThat(body.path("pull_request").path("number").asLong()).isEqualTo(9);
        assertThat(body.path("pull_request").has("pull_request")).isFalse();
    }

    private EventEnvelope envelope(String type, Object data) {
        return new EventEnvelope(UUID.randomUUID(), type, 1, Instant.now(), new EventEnvelope.Actor(3L, "olive"),
                new EventEnvelope.RepoRef(7, "acme", "app", false), mapper.valueToTree(data));
    }
}
