package dev.shoal.webhook.delivery.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.platform.config.PublicUrl;
import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.json.TimestampModule;
import dev.shoal.webhook.hook.Hook;
import dev.shoal.webhook.hook.HookEvents;
import dev.shoal.webhook.repo.RepoInfo;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Builds the JSON bodies receivers get. Other services' event data is passed through as it came
 * (a JsonNode), so a new field there reaches receivers without a change here.
 */
@ApplicationScoped
public class Payloads {

    private static final String ZERO_SHA = "0000000000000000000000000000000000000000";

    private final ObjectMapper mapper;
    private final String publicUrl;

    public Payloads(ObjectMapper mapper, PublicUrl publicUrl) {
        this.mapper = mapper;
        this.publicUrl = publicUrl.base();
    }

    /** The body of {@code event} delivered as {@code hookEvent}. */
    public byte[] forEvent(EventEnvelope event, String hookEvent, RepoInfo repo) {
        JsonNode data = event.data() == null ? mapper.createObjectNode() : event.data();
        ObjectNode body = mapper.createObjectNode();
        switch (hookEvent) {
            case HookEvents.PUSH -> {
                String before = data.path("before").asText(ZERO_SHA);
                String after = data.path("after").asText(ZERO_SHA);
                body.set("ref", data.get("ref"));
                body.put("before", before);
                body.put("after", after);
                body.put("created", ZERO_SHA.equals(before));
                body.put("deleted", ZERO_SHA.equals(after));
                body.set("commits", data.has("commits") ? data.get("commits") : mapper.createArrayNode());
                if (data.hasNonNull("head_commit")) {
                    body.set("head_commit", data.get("head_commit"));
                }
                body.set("pusher", data.has("pusher") ? data.get("pusher") : actor(event));
                body.put("compare", repoUrl(repo) + "/compare/" + before + "..." + after);
            }
            case HookEvents.PIPELINE -> {
                body.put("action", HookEvents.action(event.type()));
                body.set("pipeline", data);
            }
            default -> {
                body.put("action", HookEvents.action(event.type()));
                if (data.isObject() && data.has(hookEvent)) {
                    // The event already names its object (issue, pull_request) and any comment: they go
                    // at the top of the body, where receivers look, not one level further down.
                    data.fields().forEachRemaining(field -> body.set(field.getKey(), field.getValue()));
                } else {
                    body.set(hookEvent, data);
                }
            }
        }
        body.set("repository", repository(repo));
        body.set("sender", actor(event));
        body.put("occurred_at", event.occurredAt() == null ? null : TimestampModule.format(event.occurredAt()));
        return bytes(body);
    }

    /** The body of the ping sent when a hook is created. */
    public byte[] ping(Hook hook, RepoInfo repo, Long senderId, String senderLogin) {
        ObjectNode body = mapper.createObjectNode();
        body.put("zen", "Keep it logically awesome.");
        body.put("hook_id", hook.id());
        ObjectNode hookNode = body.putObject("hook");
        hookNode.put("id", hook.id());
        hookNode.put("url", hook.url());
        hookNode.set("events", mapper.valueToTree(hook.events()));
        hookNode.put("content_type", hook.contentType());
        hookNode.put("is_active", hook.isActive());
        hookNode.put("created_at", TimestampModule.format(hook.createdAt()));
        body.set("repository", repository(repo));
        ObjectNode sender = body.putObject("sender");
        sender.put("id", senderId);
        sender.put("login", senderLogin);
        return bytes(body);
    }

    public static RepoInfo fromEnvelope(EventEnvelope.RepoRef ref) {
        return new RepoInfo(ref.id(), ref.org(), ref.name(), ref.isPrivate(), null, null);
    }

    private ObjectNode repository(RepoInfo repo) {
        ObjectNode node = mapper.createObjectNode();
        node.put("id", repo.id());
        node.put("org", repo.org());
        node.put("name", repo.name());
        node.put("full_name", repo.org() + "/" + repo.name());
        if (repo.isPrivate() != null) {
            node.put("private", repo.isPrivate());
        }
        if (repo.description() != null) {
            node.put("description", repo.description());
        }
        if (repo.defaultBranch() != null) {
            node.put("default_branch", repo.defaultBranch());
        }
        node.put("html_url", repoUrl(repo));
        node.put("clone_url", repoUrl(repo) + ".git");
        return node;
    }

    private String repoUrl(RepoInfo repo) {
        return publicUrl + "/" + repo.org() + "/" + repo.name();
    }

    private ObjectNode actor(EventEnvelope event) {
        ObjectNode node = mapper.createObjectNode();
        if (event.actor() != null) {
            node.put("id", event.actor().id());
            node.put("login", event.actor().login());
        }
        return node;
    }

    private byte[] bytes(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("payload cannot be serialized", e);
        }
    }
}
