package dev.shoal.pipeline.pipeline.service;

import dev.shoal.pipeline.notify.Notifications;
import dev.shoal.pipeline.pipeline.PipelineRow;
import dev.shoal.pipeline.pipeline.StepRow;
import dev.shoal.pipeline.pipeline.repository.PipelineRepository;
import dev.shoal.pipeline.repo.service.RepoDirectory;
import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.EventType;
import dev.shoal.platform.event.schema.PipelineSnapshot;
import dev.shoal.platform.outbox.Outbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Appends pipeline.* and step.* events to the outbox, in the transaction of the change. */
@ApplicationScoped
public class PipelineEvents {

    private final PipelineRepository pipelines;
    private final RepoDirectory repos;
    private final Outbox outbox;
    private final Notifications notifications;

    public PipelineEvents(PipelineRepository pipelines, RepoDirectory repos, Outbox outbox, Notifications notifications) {
        this.pipelines = pipelines;
        this.repos = repos;
        this.outbox = outbox;
        this.notifications = notifications;
    }

    public Uni<Void> emit(SqlClient tx, EventType<PipelineSnapshot> type, long pipelineId, EventEnvelope.Actor actor,
                          Integer changedStep) {
        return pipelines.byId(tx, pipelineId, false).chain(found -> {
            PipelineRow p = found.orElseThrow();
            return pipelines.steps(tx, pipelineId).chain(steps -> repos.byId(tx, p.repoId()).chain(repo -> {
                EventEnvelope.RepoRef ref = repo.map(r -> new EventEnvelope.RepoRef(r.id(), r.org(), r.name(), r.isPrivate()))
                        .orElse(new EventEnvelope.RepoRef(p.repoId(), null, null, false));
                return outbox.append(tx, type, actor, ref, snapshot(p, steps, changedStep), p.repoId())
                        .chain(() -> notifications.notify(tx, Notifications.EVENTS, String.valueOf(p.id())));
            }));
        });
    }

    static PipelineSnapshot snapshot(PipelineRow p, List<StepRow> steps, Integer changedStep) {
        return new PipelineSnapshot(p.id(), p.repoId(), p.number(), p.commitNode(), p.branch(), p.ref(), p.event(),
                p.status(), p.error(), p.triggerBy(), p.triggerUsername(), p.createdAt(), p.startedAt(), p.finishedAt(),
                steps.stream().map(s -> new PipelineSnapshot.Step(s.id(), s.number(), s.name(), s.image(), s.status(),
                        s.exitCode(), s.startedAt(), s.finishedAt())).toList(),
                changedStep);
    }
}
