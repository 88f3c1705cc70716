package dev.shoal.pipeline.compat.woodpecker.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.pipeline.PipelineSettings;
import dev.shoal.pipeline.pipeline.PipelineRow;
import dev.shoal.pipeline.pipeline.messaging.PushTriggerHandler;
import dev.shoal.pipeline.pipeline.repository.PipelineRepository;
import dev.shoal.pipeline.pull.messaging.PullRequestTriggerHandler;
import dev.shoal.platform.error.ApiException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.EventTypes;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Woodpecker's {@code POST /api/hook}: the forge's incoming hook. The forge is Shoal, so the body is
 * one of Shoal's own webhook deliveries (webhook-service), signed {@code X-Shoal-Signature-256:
 * sha256=<hex HMAC-SHA256(secret, body)>} with the secret of the webhook pointing here, which this
 * service knows as {@code shoal.pipeline.hook-secret}. A {@code push} or {@code pull_request}
 * delivery is turned back into the event it was made from and goes through the same handler as
 * the event itself, so the same rules start the same pipelines.
 */
@ApplicationScoped
public class WoodpeckerHookService {

    /** What the hook did: the pipeline it started (or found already started), or why none. */
    public record HookResult(Optional<PipelineRow> pipeline, long repoId, String message) {
    }

    private static final Set<String> PULL_ACTIONS = Set.of("opened", "updated", "merged", "closed");

    private final Optional<String> secret;
    private final ObjectMapper mapper;
    private final Pool pool;
    private final PipelineRepository pipelines;
    private final PushTriggerHandler pushes;
    private final PullRequestTriggerHandler pulls;

    public WoodpeckerHookService(PipelineSettings settings, ObjectMapper mapper, Pool pool, PipelineRepository pipelines, PushTriggerHandler pushes,
                                 PullRequestTriggerHandler pulls) {
        this.secret = settings.hookSecret().filter(s -> !s.isBlank());
        this.mapper = mapper;
        this.pool = pool;
        this.pipelines = pipelines;
        this.pushes = pushes;
        this.pulls = pulls;
    }

    /** Checks the signature, then starts what the delivery asks for. */
    public Uni<HookResult> receive(String event, String signature, byte[] body) {
        verify(signature, body);
        JsonNode payload = parse(body);
        EventEnvelope.RepoRef repo = repo(payload.path("repository"));
        EventEnvelope.Actor sender = payload.path("sender").hasNonNull("login")
                ? new EventEnvelope.Actor(payload.path("sender").path("id").isIntegralNumber()
                        ? payload.path("sender").path("id").asLong() : null, payload.path("sender").path("login").asText())
                : null;
        String kind = event == null ? "" : event.trim();
        return switch (kind) {
            case "push" -> push(payload, repo, sender);
            case "pull_request" -> pullRequest(payload, repo, sender);
            case "ping" -> Uni.createFrom().item(new HookResult(Optional.empty(), repo.id(), "pong: nothing to start"));
            default -> throw new ValidationException("X-Shoal-Event must be push or pull_request (or ping), got '"
                    + cut(kind) + "'");
        };
    }

    private Uni<HookResult> push(JsonNode payload, EventEnvelope.RepoRef repo, EventEnvelope.Actor sender) {
        String ref = text(payload, "ref");
        String after = text(payload, "after");
        if (!after.matches("[0-9a-f]{40}")) {
            throw new ValidationException("after must be a full commit sha (40 hex digits)");
        }
        EventEnvelope envelope = new EventEnvelope(UUID.randomUUID(), EventTypes.REPO_PUSHED.name(), 1, Instant.now(),
                sender, repo, payload);
        // Shoal's own event may have started this push already: answer that pipeline instead of a second.
        return pipelines.firstOfPush(pool, repo.id(), ref, after).chain(existing -> existing.isPresent()
                ? Uni.createFrom().item(new HookResult(existing, repo.id(), "already started"))
                : started(repo.id(), () -> pool.withTransaction(tx -> pushes.apply(tx, envelope)),
                        "nothing to start: a deleted ref, no pipeline file, or the repository's CI settings switch this event off"));
    }

    private Uni<HookResult> pullRequest(JsonNode payload, EventEnvelope.RepoRef repo, EventEnvelope.Actor sender) {
        String action = text(payload, "action");
        if (!PULL_ACTIONS.contains(action)) {
            return Uni.createFrom().item(new HookResult(Optional.empty(), repo.id(), "nothing to start for action " + cut(action)));
        }
        if (!payload.path("pull_request").isObject()) {
            throw new ValidationException("pull_request must be an object");
        }
        com.fasterxml.jackson.databind.node.ObjectNode data = mapper.createObjectNode();
        data.set("pull_request", payload.get("pull_request"));
        EventEnvelope envelope = new EventEnvelope(UUID.randomUUID(), "pull_request." + action, 1, Instant.now(), sender,
                repo, data);
        return started(repo.id(), () -> pool.withTransaction(tx -> pulls.apply(tx, envelope)),
                "nothing to start: the pull request is not open, its head already has a pipeline, it has no pipeline "
                        + "file, or the repository's CI settings switch pull requests off");
    }

    /** Runs {@code apply} and answers the pipeline it created, if the repository's newest pipeline changed. */
    private Uni<HookResult> started(long repoId, java.util.function.Supplier<Uni<Void>> apply, String none) {
        return pipelines.latest(pool, repoId, null).chain(before -> apply.get()
                .chain(() -> pipelines.latest(pool, repoId, null))
                .map(after -> after.isPresent() && (before.isEmpty() || after.get().id() != before.get().id())
                        ? new HookResult(after, repoId, "started")
                        : new HookResult(Optional.empty(), repoId, none)));
    }

    private void verify(String signature, byte[] body) {
        if (secret.isEmpty()) {
            throw new ApiException(403, "hook_disabled", "incoming hooks are off: set shoal.pipeline.hook-secret "
                    + "(SHOAL_PIPELINE_HOOK_SECRET) to the secret of the Shoal webhook that posts here");
        }
        if (signature == null || signature.isBlank()) {
            throw new ApiException(401, "signature_missing", "sign the body: X-Shoal-Signature-256: sha256=<hex HMAC-SHA256 "
                    + "of the body with the webhook's secret>");
        }
        byte[] expected = ("sha256=" + hmac(secret.get(), body)).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.trim().getBytes(StandardCharsets.US_ASCII))) {
            throw new ApiException(403, "signature_invalid", "X-Shoal-Signature-256 does not match the body: check that "
                    + "the webhook's secret is shoal.pipeline.hook-secret and the body is sent unchanged");
        }
    }

    static String hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw new ValidationException("send the webhook's JSON body");
        }
        try {
            JsonNode node = mapper.readTree(body);
            if (node == null || !node.isObject()) {
                throw new ValidationException("the body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ValidationException("the body is not JSON: " + cut(e.getOriginalMessage()));
        } catch (java.io.IOException e) {
            throw new ValidationException("the body cannot be read");
        }
    }

    private static EventEnvelope.RepoRef repo(JsonNode node) {
        if (!node.path("id").isIntegralNumber() || node.path("id").asLong() <= 0 || !node.path("org").isTextual()
                || !node.path("name").isTextual()) {
            throw new ValidationException("repository must name the repository: {\"id\", \"org\", \"name\"}");
        }
        return new EventEnvelope.RepoRef(node.path("id").asLong(), node.path("org").asText(), node.path("name").asText(),
                node.path("private").asBoolean(false));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new ValidationException(field + " is required (a string)");
        }
        return value.asText();
    }

    private static String cut(String raw) {
        return raw == null ? "" : raw.length() > 40 ? raw.substring(0, 40) + "…" : raw;
    }
}
