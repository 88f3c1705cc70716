package dev.shoal.pipeline.pipeline.service;

import dev.shoal.pipeline.config.CompiledStep;
import dev.shoal.pipeline.config.PipelineCompiler;
import dev.shoal.pipeline.notify.Notifications;
import dev.shoal.pipeline.pipeline.Pipeline;
import dev.shoal.pipeline.pipeline.PipelineList;
import dev.shoal.pipeline.pipeline.PipelineRow;
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
import java.util.Optional;
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
        return create(tx, repo, trigger, config, java.util.Map.of());
    }

    /**
     * As {@link #create(SqlClient, Repo, Trigger, LoadedConfig)}, with build parameters (Drone's restart
     * parameters): stored on the pipeline and given to every step as environment variables, below the
     * step's own environment so a pipeline file's explicit values win.
     */
    public Uni<Optional<PipelineRow>> create(SqlClient tx, Repo repo, Trigger trigger, LoadedConfig config,
                                             java.util.Map<String, String> params) {
        EventEnvelope.Actor actor = new EventEnvelope.Actor(trigger.userId(), trigger.username());
        if (config.error() != null) {
            return pipelines.nextNumber(tx, repo.id())
                    .chain(number -> pipelines.insert(tx, repo.id(), number, trigger, Statuses.ERROR,
                            config.error().getMessage(), config.file(), java.util.Map.of(), null))
                    .call(row -> params.isEmpty() ? Uni.createFrom().voidItem() : pipelines.saveParams(tx, row.id(), params))
                    .call(row -> events.emit(tx, EventTypes.PIPELINE_CREATED, row.id(), actor, null))
                    .map(Optional::of);
        }
        List<CompiledStep> steps = withParams(PipelineCompiler.compile(config.definition(), trigger.event(),
                trigger.branch()), params);
        if (steps.isEmpty()) {
            LOG.debugf("%s@%s: no step of %s runs for %s on %s", repo.fullName(), trigger.commit(), config.file(),
                    trigger.event(), trigger.branch());
            return Uni.createFrom().item(Optional.empty());
        }
        return pipelines.nextNumber(tx, repo.id())
                .chain(number -> pipelines.insert(tx, repo.id(), number, trigger, Statuses.PENDING, null, config.file(),
                        config.definition().labels(), config.definition().platform()))
                .call(row -> pipelines.insertSteps(tx, row.id(), steps))
                .call(row -> params.isEmpty() ? Uni.createFrom().voidItem() : pipelines.saveParams(tx, row.id(), params))
                .call(row -> events.emit(tx, EventTypes.PIPELINE_CREATED, row.id(), actor, null))
                .call(() -> notifications.notify(tx, Notifications.QUEUE, ""))
                .map(Optional::of);
    }

    /** Loads the commit's pipeline file and creates the pipeline in its own transaction. */
    public Uni<Optional<PipelineRow>> createFromCommit(Repo repo, Trigger trigger) {
        return configFor(pool, repo, trigger).chain(config -> config.isEmpty()
                ? Uni.createFrom().item(Optional.<PipelineRow>empty())
                : pool.withTransaction(tx -> create(tx, repo, trigger, config.get())));
    }

    public Uni<PipelineList> list(Caller caller, String org, String name, String status, String page, String perPage) {
        String filter = status == null || status.isBlank() ? null : status.trim();
        if (filter != null && !Statuses.PIPELINE.contains(filter)) {
            throw new ValidationException("status must be one of " + String.join(", ", Statuses.PIPELINE) + ", got '"
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
        return rerun(caller, org, name, number, java.util.Map.of());
    }

    /**
     * A re-run with build parameters: the source pipeline's parameters, overridden by {@code params}
     * (Drone's restart). Names must be environment variable names.
     */
    public Uni<Pipeline> rerun(Caller caller, String org, String name, String number, java.util.Map<String, String> params) {
        long n = parseNumber(number, "pipeline number");
        validateParams(params);
        return repos.require(org, name, caller.repoId()).chain(repo -> find(pool, repo, n, false)
                .chain(source -> pipelines.params(pool, source.id()).chain(previous -> {
                    java.util.Map<String, String> merged = new java.util.LinkedHashMap<>(previous);
                    merged.putAll(params);
                    Trigger trigger = new Trigger(source.event(), source.branch(), source.ref(), source.commitNode(),
                            caller.userId(), caller.login(), source.fork());
                    return createOrExplain(repo, trigger, merged);
                })));
    }

    private static final java.util.regex.Pattern PARAM_NAME = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    static void validateParams(java.util.Map<String, String> params) {
        if (params.size() > 50) {
            throw new ValidationException("at most 50 build parameters, got " + params.size());
        }
        params.forEach((key, value) -> {
            if (!PARAM_NAME.matcher(key).matches()) {
                throw new ValidationException("build parameter names must be environment variable names (a letter or '_', "
                        + "then letters, digits or '_', at most 128), got '" + (key.length() > 40 ? key.substring(0, 40) + "…" : key) + "'");
            }
            if (value == null || value.length() > 4096 || value.indexOf('\0') >= 0) {
                throw new ValidationException("build parameter " + key + " must have a value of at most 4096 characters without NUL");
            }
        });
    }

    private static List<CompiledStep> withParams(List<CompiledStep> steps, java.util.Map<String, String> params) {
        if (params.isEmpty()) {
            return steps;
        }
        return steps.stream().map(s -> {
            java.util.Map<String, String> env = new java.util.LinkedHashMap<>(params);
            env.putAll(s.environment());
            return new CompiledStep(s.number(), s.name(), s.image(), s.commands(), env, s.secrets(), s.dependsOn(), s.runOn());
        }).toList();
    }

    /** Runs the pipeline file of a branch (the default branch when none is given) as a {@code manual} pipeline. */
    public Uni<Pipeline> trigger(Caller caller, String org, String name, String branch) {
        return trigger(caller, org, name, branch, null, java.util.Map.of());
    }

    /**
     * As {@link #trigger(Caller, String, String, String)}, at a given commit of the branch (its head
     * when null) and with build parameters (Drone's "create build").
     */
    public Uni<Pipeline> trigger(Caller caller, String org, String name, String branch, String commit,
                                 java.util.Map<String, String> params) {
        validateParams(params);
        if (commit != null && !commit.matches("[0-9a-f]{40}")) {
            throw new ValidationException("commit must be a full commit SHA (40 lowercase hex characters)");
        }
        if (branch != null && (branch.isBlank() || branch.length() > 255 || branch.contains("..")
                || branch.startsWith("/") || branch.startsWith("-") || branch.chars().anyMatch(c -> c < 0x20 || c == 0x7f))) {
            throw new ValidationException("branch must be the name of a branch (1-255 characters, no '..', "
                    + "no control characters, not starting with '/' or '-')");
        }
        return repos.require(org, name, caller.repoId()).chain(repo -> {
            String wanted = branch == null ? repo.defaultBranch() : branch.startsWith("refs/heads/")
                    ? branch.substring("refs/heads/".length()) : branch;
            return repoContent.resolve(repo.id(), "refs/heads/" + wanted).chain(sha -> {
                if (sha.isEmpty()) {
                    throw new NotFoundException("branch '" + wanted + "' not found in " + repo.fullName());
                }
                if (commit == null || commit.equals(sha.get())) {
                    return createOrExplain(repo, new Trigger("manual", wanted, "refs/heads/" + wanted, sha.get(),
                            caller.userId(), caller.login(), false), params);
                }
                return repoContent.resolve(repo.id(), commit).chain(found -> {
                    if (found.isEmpty()) {
                        throw new NotFoundException("commit " + commit + " not found in " + repo.fullName());
                    }
                    return createOrExplain(repo, new Trigger("manual", wanted, "refs/heads/" + wanted, found.get(),
                            caller.userId(), caller.login(), false), params);
                });
            });
        });
    }

    private Uni<Pipeline> createOrExplain(Repo repo, Trigger trigger) {
        return createOrExplain(repo, trigger, java.util.Map.of());
    }

    private Uni<Pipeline> createOrExplain(Repo repo, Trigger trigger, java.util.Map<String, String> params) {
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
            return pool.withTransaction(tx -> create(tx, repo, trigger, config.get(), params).chain(created -> {
                if (created.isEmpty()) {
                    throw new ApiException(422, "no_steps", config.get().file() + " runs no step for event '"
                            + trigger.event() + "' on branch '" + trigger.branch() + "'");
                }
                return withSteps(tx, created.get());
            }));
        });
    }

    Uni<PipelineRow> find(SqlClient client, Repo repo, long number, boolean lock) {
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
