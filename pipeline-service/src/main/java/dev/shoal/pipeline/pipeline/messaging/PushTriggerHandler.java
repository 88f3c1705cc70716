package dev.shoal.pipeline.pipeline.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.pipeline.pipeline.PushTrigger;
import dev.shoal.pipeline.pipeline.Trigger;
import dev.shoal.pipeline.pipeline.service.PipelineService;
import dev.shoal.pipeline.repo.Repo;
import dev.shoal.pipeline.repo.service.RepoDirectory;
import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.EventTypes;
import dev.shoal.platform.event.Topics;
import dev.shoal.platform.event.schema.RepoPushed;
import dev.shoal.platform.messaging.EventHandler;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * Turns {@code repo.pushed} into pipelines: a branch push is event {@code push}, a tag push is
 * event {@code tag}; deleted refs start nothing, nor do events the repository's CI settings switch off. Runs inside the consumer's deduplicating
 * transaction, so a redelivered push never creates a second pipeline.
 */
@ApplicationScoped
public class PushTriggerHandler implements EventHandler {

    private final PipelineService pipelines;
    private final RepoDirectory repos;
    private final ObjectMapper mapper;

    public PushTriggerHandler(PipelineService pipelines, RepoDirectory repos, ObjectMapper mapper) {
        this.pipelines = pipelines;
        this.repos = repos;
        this.mapper = mapper;
    }

    @Override
    public String name() {
        return "pipeline-push-trigger";
    }

    @Override
    public List<String> topics() {
        return List.of(Topics.REPO);
    }

    @Override
    public Uni<Void> apply(SqlConnection tx, EventEnvelope event) {
        if (!event.is(EventTypes.REPO_PUSHED) || event.repo() == null) {
            return Uni.createFrom().voidItem();
        }
        RepoPushed push = EventTypes.REPO_PUSHED.read(mapper, event);
        Optional<Trigger> found = PushTrigger.of(push, event.actor() == null ? null : event.actor().id(),
                event.actor() == null ? null : event.actor().login());
        if (found.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Trigger trigger = found.get();
        EventEnvelope.RepoRef ref = event.repo();
        return repos.remember(tx, ref.id(), ref.org(), ref.name(), ref.isPrivate())
                .chain(() -> repos.byId(tx, ref.id()))
                .map(repo -> repo.orElse(new Repo(ref.id(), null, ref.org(), ref.name(), ref.isPrivate(), "main")))
                .chain(repo -> pipelines.configFor(tx, repo, trigger).chain(config -> config.isEmpty()
                        ? Uni.createFrom().voidItem()
                        : pipelines.create(tx, repo, trigger, config.get()).replaceWithVoid()));
    }
}
