package dev.shoal.pipeline.pipeline.service;

import dev.shoal.pipeline.config.CompiledStep;
import dev.shoal.pipeline.config.PipelineCompiler;
import dev.shoal.pipeline.notify.Notifications;
import dev.shoal.pipeline.pipeline.CommitFacts;
import dev.shoal.pipeline.pipeline.Pipeline;
import dev.shoal.pipeline.pipeline.PipelineList;
import dev.shoal.pipeline.pipeline.PipelineRow;
import dev.shoal.pipeline.pipeline.PushTrigger;
import dev.shoal.pipeline.pipeline.Statuses;
import dev.shoal.pipeline.pipeline.Trigger;
import dev.shoal.pipeline.pipeline.repository.PipelineRepository;
import dev.shoal.pipeline.pipeline.service.ConfigLoader.LoadedConfig;
import dev.shoal.pipeline.repo.Repo;
import dev.shoal.pipeline.settings.service.CiSettingsService;
import dev.shoal.pipeline.repo.client.RepoContentClient;
import dev.shoal.pipeline.repo.service.RepoDirectory;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.error.ApiException;
import dev.shoal.platform.error.ConflictException;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.EventTypes;
import dev.shoal.platform.identity.Caller;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.shoal.pipeline.pipeline.PipelineFilter;
import dev.shoal.pipeline.settings.CiSettings;
import org.jboss.logging.Logger;

/** Creating, listing, cancelling and re-running pipelines. */
@ApplicationScoped
public class PipelineService {

    private static final Logger LOG = Logger.getLogger(PipelineService.class);

    private final Pool pool;
    private final PipelineRepository pipelines;
    private final PipelineEvents events;
    private final ConfigLoader configs;
    private final RepoDirectory repos;
    private final RepoContentClient repoContent;
    private final Notifications notifications;
    private final CiSettingsService ciSettings;

    public PipelineService(Pool pool, PipelineRepository pipelines, PipelineEvents events, ConfigLoader configs,
                           RepoDirectory repos, RepoContentClient repoContent, Notifications notifications,
                           CiSettingsService ciSettings) {
        this.pool = pool;
        this.pipelines = pipelines;
        this.events = events;
        this.configs = configs;
        this.repos = repos;
        this.repoContent = repoContent;
        this.notifications = notifications;
        this.ciSettings = ciSettings;
    }

    /**
     * The pipeline file a trigger runs, read as the repository's CI settings say (their config file);
     * empty when the commit has none or the settings do not let this event start pipelines.
     */
    public Uni<Optional<LoadedConfig>> configFor(SqlClient client, Repo repo, Trigger trigger) {
        return ciSettings.get(client, repo.id()).chain(settings -> settings.allows(trigger.event())
                ? configs.load(repo.id(), trigger.commit(), settings.configFile())
                : Uni.createFrom().item(Optional.<LoadedConfig>empty()));
    }

    /**
     * Creates the pipeline for a trigger in {@code tx}. A file that does not parse gives a pipeline
     * in {@code error} (never silence); a file whose filters exclude every step gives none.
     */
    public Uni<Optional<PipelineRow>> create(SqlClient tx, Repo repo, Trigger trigger, LoadedConfig config) {
        return withCommitFacts(repo, trigger).chain(known -> insert(tx, repo, known, config));
    }

    /**
     * A pipeline that no push described (cron, manual, pull request, or a push event without its
     * head commit) takes its commit's message, author and time from repo-service; without them
     * (repo-service does not answer) it is created all the same.
     */
    private Uni<Trigger> withCommitFacts(Repo repo, Trigger trigger) {
        if (!CommitFacts.NONE.equals(trigger.commitFacts())) {
            return Uni.createFrom().item(trigger);
        }
        return repoContent.commit(repo.id(), trigger.commit())
                .map(found -> found.map(commit -> trigger.withCommitFacts(PushTrigger.facts(commit))).orElse(trigger))
                .onFailure().invoke(e -> LOG.debugf("no commit facts for %s@%s: %s", repo.fullName(), trigger.commit(), e.getMessage()))
                .onFailure().recoverWithItem(trigger);
    }

    private Uni<Optional<PipelineRow>> insert(SqlClient tx, Repo repo, Trigger trigger, LoadedConfig config) {
        EventEnvelope.Actor actor = new EventEnvelope.Actor(trigger.userId(), trigger.username());
        if (config.error() != null) {
            return pipelines.nextNumber(tx, repo.id())
                    .chain(number -> pipelines.insert(tx, repo.id(), number, trigger, Statuses.ERROR,
                            config.error().getMessage(), config.file(), java.util.Map.of(), null))
                    .call(row -> events.emit(tx, EventTypes.PIPELINE_CREATED, row.id(), actor, null))
                    .map(Optional::of);
        }
        // Pull requests are filtered by their target branch, as Drone and Woodpecker do.
        List<CompiledStep> steps = PipelineCompiler.compile(config.definition(), trigger.event(), trigger.filterBranch());
        if (steps.isEmpty()) {
            LOG.debugf("%s@%s: no step of %s runs for %s on %s", repo.fullName(), trigger.commit(), config.file(),
                    trigger.event(), trigger.filterBranch());
            return Uni.createFrom().item(Optional.empty());
        }
        // Pipelines that need approval wait in 'blocked', outside the queue: no agent can claim them.
        return ciSettings.get(tx, repo.id()).chain(settings -> {
            boolean blocked = settings.needsApproval(trigger.event(), trigger.fork());
            return pipelines.nextNumber(tx, repo.id())
                    .chain(number -> pipelines.insert(tx, repo.id(), number, trigger,
                            blocked ? Statuses.BLOCKED : Statuses.PENDING, null, config.file(),
                            config.definition().labels(), config.definition().platform()))
                    .call(row -> pipelines.insertSteps(tx, row.id(), steps))
                    .call(row -> events.emit(tx, EventTypes.PIPELINE_CREATED, row.id(), actor, null))
                    .call(() -> blocked ? Uni.createFrom().voidItem() : notifications.notify(tx, Notifications.QUEUE, ""))
                    .map(Optional::of);
        });
    }

    /** Loads the commit's pipeline file and creates the pipeline in its own transaction. */
    public Uni<Optional<PipelineRow>> createFromCommit(Repo repo, Trigger trigger) {
        return configFor(pool, repo, trigger).chain(config -> config.isEmpty()
                ? Uni.createFrom().item(Optional.<PipelineRow>empty())
                : pool.withTransaction(tx -> create(tx, repo, trigger, config.get())));
    }

    public Uni<PipelineList> list(Caller caller, String org, String name, String status, String page, String perPage) {
        String filter = status == null || status.isBlank() ? null : status.trim();
        if (filter != null && !Statuses.PIPELINE_ANY.contains(filter)) {
            throw new ValidationException("status must be one of " + String.join(", ", Statuses.PIPELINE_ANY) + ", got '"
                    + (filter.length() > 20 ? filter.substring(0, 20) + "…" : filter) + "'");
        }
        PageRequest request = PageRequest.of(page, perPage, 20, 50);
        return repos.require(org, name, caller.repoId()).chain(repo -> pipelines.count(pool, repo.id(), filter)
                .chain(total -> pipelines.list(pool, repo.id(), filter, request.perPage(), request.offset())
                        .map(rows -> new PipelineList(total, request.page(), request.perPage(),
                                rows.stream().map(r -> Pipeline.of(r, null)).toList()))));
    }

    public Uni<Pipeline> get(Caller caller, String org, String name, String number) {
        return repos.require(org, name, caller.repoId())
                .chain(repo -> find(pool, repo, parseNumber(number, "pipeline number"), false))
                .chain(row -> withSteps(pool, row));
    }

    public Uni<Pipeline> cancel(Caller caller, String org, String name, String number) {
        long n = parseNumber(number, "pipeline number");
        return repos.require(org, name, caller.repoId()).chain(repo -> pool.withTransaction(tx -> find(tx, repo, n, true)
                .call(row -> {
                    if (row.isFinished()) {
                        throw new ConflictException("pipeline #" + n + " is already " + row.status()
                                + "; only pending or running pipelines can be cancelled");
                    }
                    return pipelines.cancel(tx, row.id())
                            .call(() -> events.emit(tx, EventTypes.PIPELINE_STATUS_CHANGED, row.id(), actor(caller), null));
                })
                .chain(row -> pipelines.byId(tx, row.id(), false))
                .chain(row -> withSteps(tx, row.orElseThrow()))));
    }

    /** A new pipeline from the same commit, branch and event, triggered by the caller. */
    public Uni<Pipeline> rerun(Caller caller, String org, String name, String number) {
        long n = parseNumber(number, "pipeline number");
        return repos.require(org, name, caller.repoId()).chain(repo -> restart(caller, repo, n, null, Map.of()));
    }

    /**
     * A new pipeline from the commit of pipeline {@code n}, as its event unless {@code event}
     * overrides it, with extra {@code variables} for its steps. Approval rules apply to it afresh.
     */
    public Uni<Pipeline> restart(Caller caller, Repo repo, long n, String event, Map<String, String> variables) {
        if (event != null && !CiSettings.EVENTS.contains(event)) {
            throw new ValidationException("event must be one of " + String.join(", ", CiSettings.EVENTS.stream().sorted()
                    .toList()) + ", got '" + (event.length() > 20 ? event.substring(0, 20) + "…" : event) + "'");
        }
        Map<String, String> vars = validateVariables(variables);
        return find(pool, repo, n, false).chain(source -> {
            if (Statuses.BLOCKED.equals(source.status())) {
                throw new ConflictException("pipeline #" + n + " is blocked: approve or decline it instead of restarting it");
            }
            Map<String, String> merged = new java.util.LinkedHashMap<>(source.variables());
            merged.putAll(vars);
            Trigger trigger = new Trigger(event == null ? source.event() : event, source.branch(), source.ref(),
                    source.commitNode(), caller.userId(), caller.login(), source.fork(), merged, source.number(),
                    source.pullRequestRef(), source.commitFacts());
            return createOrExplain(repo, trigger);
        });
    }

    /** Variables for steps: environment names, short values. */
    static Map<String, String> validateVariables(Map<String, String> variables) {
        if (variables == null || variables.isEmpty()) {
            return Map.of();
        }
        if (variables.size() > 50) {
            throw new ValidationException("at most 50 variables may be given");
        }
        variables.forEach((k, v) -> {
            if (k == null || !k.matches("[A-Za-z_][A-Za-z0-9_]{0,99}")) {
                throw new ValidationException("variable names must be environment variable names (letters, digits, '_', "
                        + "not starting with a digit), got '" + k + "'");
            }
            if (v == null || v.length() > 4096 || v.indexOf('\0') >= 0) {
                throw new ValidationException("variable " + k + " must be a string of at most 4096 characters without NUL");
            }
        });
        return variables;
    }

    /** Lets a blocked pipeline into the queue. */
    public Uni<Pipeline> approve(Caller caller, Repo repo, long n) {
        return review(caller, repo, n, Statuses.PENDING);
    }

    /** Refuses a blocked pipeline: it becomes 'declined' and never runs. */
    public Uni<Pipeline> decline(Caller caller, Repo repo, long n) {
        return review(caller, repo, n, Statuses.DECLINED);
    }

    private Uni<Pipeline> review(Caller caller, Repo repo, long n, String status) {
        caller.requireUserId();
        return pool.withTransaction(tx -> find(tx, repo, n, true).chain(row -> {
            if (!Statuses.BLOCKED.equals(row.status())) {
                throw new ConflictException("pipeline #" + n + " is " + row.status() + ", not blocked: only blocked "
                        + "pipelines can be approved or declined");
            }
            return pipelines.review(tx, row.id(), status, caller.login())
                    .call(() -> events.emit(tx, EventTypes.PIPELINE_STATUS_CHANGED, row.id(), actor(caller), null))
                    .call(() -> Statuses.PENDING.equals(status) ? notifications.notify(tx, Notifications.QUEUE, "")
                            : Uni.createFrom().voidItem())
                    .chain(() -> pipelines.byId(tx, row.id(), false))
                    .chain(found -> withSteps(tx, found.orElseThrow()));
        }));
    }

    /** Deletes a pipeline that is not pending or running, with its steps and logs. */
    public Uni<Void> delete(Repo repo, long n) {
        return pool.withTransaction(tx -> find(tx, repo, n, true).chain(row -> {
            if (Statuses.PENDING.equals(row.status()) || Statuses.RUNNING.equals(row.status())) {
                throw new ConflictException("pipeline #" + n + " is " + row.status() + ": cancel it before deleting it");
            }
            return pipelines.delete(tx, row.id()).replaceWithVoid();
        }));
    }

    /** Drops the logs of one step ({@code stepId}) or of every step of pipeline {@code n}; running steps keep theirs. */
    public Uni<Void> deleteLogs(Repo repo, long n, Long stepId) {
        return pool.withTransaction(tx -> find(tx, repo, n, true).chain(row -> pipelines.steps(tx, row.id()).chain(steps -> {
            if (stepId != null) {
                var step = steps.stream().filter(s -> s.id() == stepId).findFirst().orElseThrow(() ->
                        new NotFoundException("step " + stepId + " not found in pipeline #" + n));
                if (Statuses.RUNNING.equals(step.status())) {
                    throw new ConflictException("step " + stepId + " is running: its log can be deleted once it finished");
                }
            } else if (Statuses.RUNNING.equals(row.status())) {
                throw new ConflictException("pipeline #" + n + " is running: its logs can be deleted once it finished");
            }
            return pipelines.deleteLogs(tx, row.id(), stepId);
        })));
    }

    public Uni<Pipeline> cancel(Caller caller, Repo repo, long n) {
        return pool.withTransaction(tx -> find(tx, repo, n, true)
                .call(row -> {
                    if (row.isFinished()) {
                        throw new ConflictException("pipeline #" + n + " is already " + row.status()
                                + "; only blocked, pending or running pipelines can be cancelled");
                    }
                    return pipelines.cancel(tx, row.id())
                            .call(() -> events.emit(tx, EventTypes.PIPELINE_STATUS_CHANGED, row.id(), actor(caller), null));
                })
                .chain(row -> pipelines.byId(tx, row.id(), false))
                .chain(row -> withSteps(tx, row.orElseThrow())));
    }

    /** A page of a repository's pipelines and how many match. */
    public Uni<java.util.Map.Entry<Long, List<PipelineRow>>> search(Repo repo, PipelineFilter filter, PageRequest page) {
        if (filter.status() != null && !Statuses.PIPELINE_ANY.contains(filter.status())) {
            throw new ValidationException("status must be one of " + String.join(", ", Statuses.PIPELINE_ANY));
        }
        return pipelines.count(pool, repo.id(), filter).chain(total -> pipelines.list(pool, repo.id(), filter,
                page.perPage(), page.offset()).map(rows -> Map.entry(total, rows)));
    }

    /** The pipeline with its steps. */
    public Uni<Pipeline> get(Repo repo, long n) {
        return find(pool, repo, n, false).chain(row -> withSteps(pool, row));
    }

    public Uni<PipelineRow> row(Repo repo, long n) {
        return find(pool, repo, n, false);
    }

    public Uni<List<dev.shoal.pipeline.pipeline.StepRow>> steps(long pipelineId) {
        return pipelines.steps(pool, pipelineId);
    }

    /** The newest pipeline of a branch (of any branch when null); empty when there is none. */
    public Uni<Optional<PipelineRow>> latest(Repo repo, String branch) {
        return pipelines.latest(pool, repo.id(), branch);
    }

    /** Runs a branch's pipeline file as a manual pipeline with extra variables (repository by id). */
    public Uni<Pipeline> trigger(Caller caller, Repo repo, String branch, Map<String, String> variables) {
        return trigger(caller, repo, branch, null, variables);
    }

    /**
     * As {@link #trigger(Caller, Repo, String, Map)}, at {@code commit} (a full SHA) instead of the
     * branch's head when given: Drone's "create build".
     */
    public Uni<Pipeline> trigger(Caller caller, Repo repo, String branch, String commit, Map<String, String> variables) {
        validateBranch(branch);
        if (commit != null && !commit.matches("[0-9a-f]{40}")) {
            throw new ValidationException("commit must be a full commit SHA (40 lowercase hex characters)");
        }
        Map<String, String> vars = validateVariables(variables);
        String wanted = branch == null || branch.isBlank() ? repo.defaultBranch() : branch.startsWith("refs/heads/")
                ? branch.substring("refs/heads/".length()) : branch;
        return repoContent.resolve(repo.id(), commit != null ? commit : "refs/heads/" + wanted).chain(sha -> {
            if (sha.isEmpty()) {
                throw new NotFoundException(commit != null ? "commit " + commit + " not found in " + repo.fullName()
                        : "branch '" + wanted + "' not found in " + repo.fullName());
            }
            return createOrExplain(repo, new Trigger("manual", wanted, "refs/heads/" + wanted, sha.get(),
                    caller.userId(), caller.login(), false, vars, 0));
        });
    }

    private static void validateBranch(String branch) {
        if (branch != null && (branch.isBlank() || branch.length() > 255 || branch.contains("..")
                || branch.startsWith("/") || branch.startsWith("-") || branch.chars().anyMatch(c -> c < 0x20 || c == 0x7f))) {
            throw new ValidationException("branch must be the name of a branch (1-255 characters, no '..', "
                    + "no control characters, not starting with '/' or '-')");
        }
    }

    /** Runs the pipeline file of a branch (the default branch when none is given) as a {@code manual} pipeline. */
    public Uni<Pipeline> trigger(Caller caller, String org, String name, String branch) {
        validateBranch(branch);
        return repos.require(org, name, caller.repoId()).chain(repo -> {
            String wanted = branch == null ? repo.defaultBranch() : branch.startsWith("refs/heads/")
                    ? branch.substring("refs/heads/".length()) : branch;
            return repoContent.resolve(repo.id(), "refs/heads/" + wanted).chain(sha -> {
                if (sha.isEmpty()) {
                    throw new NotFoundException("branch '" + wanted + "' not found in " + repo.fullName());
                }
                return createOrExplain(repo, new Trigger("manual", wanted, "refs/heads/" + wanted, sha.get(),
                        caller.userId(), caller.login(), false));
            });
        });
    }

    private Uni<Pipeline> createOrExplain(Repo repo, Trigger trigger) {
        return ciSettings.get(repo.id()).chain(settings -> {
            if (!settings.allows(trigger.event())) {
                throw new ApiException(422, "ci_inactive", "CI is not active for " + repo.fullName()
                        + ": activate the repository first");
            }
            return configs.load(repo.id(), trigger.commit(), settings.configFile());
        }).chain(config -> {
            if (config.isEmpty()) {
                throw new ApiException(422, "no_pipeline_file", "commit " + trigger.commit().substring(0, Math.min(12,
                        trigger.commit().length())) + " holds no pipeline file (.shoal.yml, .woodpecker.yml, "
                        + ".woodpecker/*.yaml or .drone.yml)");
            }
            return pool.withTransaction(tx -> create(tx, repo, trigger, config.get()).chain(created -> {
                if (created.isEmpty()) {
                    throw new ApiException(422, "no_steps", config.get().file() + " runs no step for event '"
                            + trigger.event() + "' on branch '" + trigger.filterBranch() + "'");
                }
                return withSteps(tx, created.get());
            }));
        });
    }

    public Uni<PipelineRow> find(SqlClient client, Repo repo, long number, boolean lock) {
        return pipelines.byNumber(client, repo.id(), number, lock).map(found -> found.orElseThrow(() ->
                new NotFoundException("pipeline #" + number + " not found in " + repo.fullName())));
    }

    private Uni<Pipeline> withSteps(SqlClient client, PipelineRow row) {
        return pipelines.steps(client, row.id()).map(steps -> Pipeline.of(row, steps));
    }

    static EventEnvelope.Actor actor(Caller caller) {
        return new EventEnvelope.Actor(caller.userId(), caller.login());
    }

    /** Path numbers: a positive whole number, else 404 (a path that names nothing). */
    public static long parseNumber(String raw, String what) {
        try {
            long value = Long.parseLong(raw);
            if (value > 0 && value <= Integer.MAX_VALUE) {
                return value;
            }
        } catch (NumberFormatException e) {
            // falls through
        }
        throw new NotFoundException(what + " must be a positive whole number, got '"
                + (raw.length() > 20 ? raw.substring(0, 20) + "…" : raw) + "'");
    }
}
