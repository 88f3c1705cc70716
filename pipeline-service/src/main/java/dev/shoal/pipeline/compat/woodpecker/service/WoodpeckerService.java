package dev.shoal.pipeline.compat.woodpecker.service;

import dev.shoal.pipeline.agent.service.AgentService;
import dev.shoal.pipeline.compat.woodpecker.repository.WoodpeckerRepository;
import dev.shoal.pipeline.compat.woodpecker.RepoPipeline;
import dev.shoal.pipeline.pipeline.PipelineFilter;
import dev.shoal.pipeline.pipeline.PipelineRow;
import dev.shoal.pipeline.pipeline.StepRow;
import dev.shoal.pipeline.pipeline.repository.PipelineRepository;
import dev.shoal.pipeline.pipeline.service.PipelineService;
import dev.shoal.pipeline.repo.Repo;
import dev.shoal.pipeline.repo.service.RepoDirectory;
import dev.shoal.pipeline.settings.CiSettings;
import dev.shoal.pipeline.settings.service.CiSettingsService;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.error.ApiException;
import dev.shoal.platform.error.NotFoundException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * The reads Woodpecker's routes need that the native services do not offer as such: the server's
 * health, every pipeline with its repository, one pipeline change for the event stream, an agent's
 * running work, a step of a pipeline. It adapts; the native services decide.
 */
@ApplicationScoped
public class WoodpeckerService {

    /** A pipeline change as the event stream shows it. */
    public record PipelineChange(Repo repo, CiSettings settings, PipelineRow pipeline, List<StepRow> steps) {
    }

    private final Pool pool;
    private final WoodpeckerRepository woodpecker;
    private final PipelineRepository pipelineRows;
    private final PipelineService pipelines;
    private final RepoDirectory repos;
    private final CiSettingsService settings;
    private final AgentService agents;

    public WoodpeckerService(Pool pool, WoodpeckerRepository woodpecker, PipelineRepository pipelineRows,
                             PipelineService pipelines, RepoDirectory repos, CiSettingsService settings, AgentService agents) {
        this.pool = pool;
        this.woodpecker = woodpecker;
        this.pipelineRows = pipelineRows;
        this.pipelines = pipelines;
        this.repos = repos;
        this.settings = settings;
        this.agents = agents;
    }

    /** Completes while the database answers, else fails with 503. */
    public Uni<Void> health() {
        return woodpecker.ping(pool)
                .onFailure().transform(e -> new ApiException(503, "unhealthy", "the database does not answer"));
    }

    /** Every pipeline of the server, newest first, with its repository (one query). */
    public Uni<List<RepoPipeline>> allPipelines(PipelineFilter filter, PageRequest page) {
        return woodpecker.listAll(pool, filter, page.perPage(), page.offset());
    }

    /**
     * Pipeline {@code pipelineId} with its repository, settings and steps; empty when it is gone,
     * its repository is unknown, or the repository is private and {@code includePrivate} is false.
     */
    public Uni<Optional<PipelineChange>> change(long pipelineId, boolean includePrivate) {
        return pipelineRows.byId(pool, pipelineId, false).chain(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().item(Optional.<PipelineChange>empty());
            }
            PipelineRow p = found.get();
            return repos.byId(pool, p.repoId()).chain(repo -> {
                if (repo.isEmpty() || repo.get().isPrivate() && !includePrivate) {
                    return Uni.createFrom().item(Optional.<PipelineChange>empty());
                }
                return settings.get(repo.get().id()).chain(s -> pipelineRows.steps(pool, p.id())
                        .map(steps -> Optional.of(new PipelineChange(repo.get(), s, p, steps))));
            });
        });
    }

    /** The pipelines agent {@code rawAgentId} runs now. */
    public Uni<List<PipelineRow>> runningOn(String rawAgentId) {
        return agents.detail(rawAgentId, null).chain(agent -> pipelineRows.running(pool, agent.id()));
    }

    /** Step {@code stepId} (Shoal's step id) of pipeline {@code number} of the repository; 404 otherwise. */
    public Uni<StepRow> step(Repo repo, long number, long stepId) {
        return pipelines.row(repo, number).chain(p -> pipelines.steps(p.id()))
                .map(steps -> steps.stream().filter(s -> s.id() == stepId).findFirst().orElseThrow(() ->
                        new NotFoundException("step " + stepId + " not found in pipeline #" + number)));
    }
}
