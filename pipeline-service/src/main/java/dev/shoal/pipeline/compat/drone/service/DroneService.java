package dev.shoal.pipeline.compat.drone.service;

import dev.shoal.pipeline.compat.drone.DroneBuild;
import dev.shoal.pipeline.compat.drone.DroneRepo;
import dev.shoal.pipeline.compat.drone.DroneViews.Encrypted;
import dev.shoal.pipeline.compat.drone.DroneViews.LogLine;
import dev.shoal.pipeline.compat.drone.DroneViews.QueueItem;
import dev.shoal.pipeline.compat.drone.DroneViews.RepoPatch;
import dev.shoal.pipeline.compat.drone.DroneWords;
import dev.shoal.pipeline.compat.drone.repository.DroneRepository;
import dev.shoal.pipeline.compat.drone.repository.DroneRepository.TimedChunk;
import dev.shoal.pipeline.pipeline.Pipeline;
import dev.shoal.pipeline.pipeline.PipelineFilter;
import dev.shoal.pipeline.pipeline.PipelineRow;
import dev.shoal.pipeline.pipeline.Statuses;
import dev.shoal.pipeline.pipeline.StepRow;
import dev.shoal.pipeline.pipeline.repository.PipelineRepository;
import dev.shoal.pipeline.pipeline.service.AuthorAvatars;
import dev.shoal.pipeline.pipeline.service.PipelineService;
import dev.shoal.pipeline.repo.Repo;
import dev.shoal.pipeline.repo.service.RepoDirectory;
import dev.shoal.pipeline.secret.service.SecretCipher;
import dev.shoal.pipeline.settings.CiSettings;
import dev.shoal.pipeline.settings.CiSettingsPatch;
import dev.shoal.pipeline.settings.service.CiSettingsService;
import dev.shoal.platform.config.PublicUrl;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.crypto.SecretSeal;
import dev.shoal.platform.error.ConflictException;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.identity.Caller;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Drone's repositories, builds and logs over Shoal's own services: CI settings, pipelines, logs and
 * the secret cipher. Nothing here keeps state of its own but the build parameters on the pipeline.
 */
@ApplicationScoped
public class DroneService {

    /** The largest log Drone's JSON line view returns whole; larger logs answer with their tail. */
    static final long MAX_JSON_LOG_BYTES = 8L * 1024 * 1024;
    private static final int MAX_QUEUE = 1000;

    private final Pool pool;
    private final RepoDirectory repos;
    private final CiSettingsService settings;
    private final PipelineService pipelines;
    private final PipelineRepository pipelineRows;
    private final DroneRepository drone;
    private final SecretCipher cipher;
    private final AuthorAvatars avatars;
    private final String publicUrl;

    public DroneService(Pool pool, RepoDirectory repos, CiSettingsService settings, PipelineService pipelines,
                        PipelineRepository pipelineRows, DroneRepository drone, SecretCipher cipher, AuthorAvatars avatars,
                        PublicUrl publicUrl) {
        this.pool = pool;
        this.repos = repos;
        this.settings = settings;
        this.pipelines = pipelines;
        this.pipelineRows = pipelineRows;
        this.drone = drone;
        this.cipher = cipher;
        this.avatars = avatars;
        this.publicUrl = publicUrl.base();
    }

    // --- repositories -----------------------------------------------------------------------------

    public Uni<DroneRepo> repo(Caller caller, String org, String name) {
        return repos.require(org, name, caller.repoId()).chain(repo -> settings.get(repo.id()).chain(s -> view(repo, s)));
    }

    public Uni<DroneRepo> activate(Caller caller, String org, String name) {
        return change(caller, org, name, CiSettingsPatch.builder().active(true).build());
    }

    /** Drone's delete disables the repository: pushes stop starting builds, settings and history stay. */
    public Uni<DroneRepo> deactivate(Caller caller, String org, String name) {
        return change(caller, org, name, CiSettingsPatch.builder().active(false).build());
    }

    public Uni<DroneRepo> update(Caller caller, String org, String name, RepoPatch body) {
        if (body == null) {
            throw new ValidationException("send a JSON object with the settings to change, e.g. {\"timeout\": 60}");
        }
        CiSettingsPatch.Builder patch = CiSettingsPatch.builder();
        if (body.timeout() != null) {
            if (body.timeout() < 1 || body.timeout() > CiSettings.MAX_TIMEOUT_MINUTES) {
                throw new ValidationException("timeout must be between 1 and " + CiSettings.MAX_TIMEOUT_MINUTES
                        + " minutes, got " + body.timeout());
            }
            patch.timeoutMinutes(body.timeout().intValue());
        }
        patch.trusted(body.trusted()).allowPush(body.allowPush()).allowDeploy(body.allowDeploys()).allowTags(body.allowTags());
        if (body.allowPr() != null && body.ignorePullRequests() != null && body.allowPr() == body.ignorePullRequests()) {
            throw new ValidationException("allow_pr and ignore_pull_requests contradict each other: send one of them");
        }
        patch.allowPr(body.allowPr() != null ? body.allowPr()
                : body.ignorePullRequests() == null ? null : !body.ignorePullRequests());
        if (body.configPath() != null) {
            // Drone's default file is what Shoal's search finds last; naming it explicitly keeps the search.
            patch.configFile(body.configPath().isBlank() || body.configPath().equals(DroneRepo.DEFAULT_CONFIG) ? ""
                    : body.configPath());
        }
        patch.visibility(body.visibility());
        unsupported("protected", body.isProtected(), "signed pipeline files are not supported");
        unsupported("ignore_forks", body.ignoreForks(), "pull requests from forks wait for approval instead");
        unsupported("auto_cancel_running", body.autoCancelRunning(), "running builds are not cancelled automatically");
        if (body.counter() != null) {
            throw new ValidationException("counter cannot be changed: build numbers only grow");
        }
        return repos.require(org, name, caller.repoId()).chain(repo -> {
            if (body.isPrivate() != null && body.isPrivate() != repo.isPrivate()) {
                throw new ValidationException("private is the repository's own setting: change it with "
                        + "PATCH /api/v1/repos/" + repo.fullName() + " {\"is_private\": " + body.isPrivate() + "}");
            }
            if (body.autoCancelPullRequests() == null && body.autoCancelPushes() == null) {
                return change(repo, patch.build());
            }
            return settings.get(repo.id()).chain(current -> {
                Set<String> events = new LinkedHashSet<>(current.cancelPreviousPipelineEvents());
                toggle(events, "pull_request", body.autoCancelPullRequests());
                toggle(events, "push", body.autoCancelPushes());
                return change(repo, patch.cancelPreviousPipelineEvents(new ArrayList<>(events)).build());
            });
        });
    }

    /**
     * Seals a value for a pipeline file with the service's secret key (AES-256-GCM), bound to this
     * repository: the answer is base64 of nonce and ciphertext, like Drone's encrypted secrets.
     */
    public Uni<Encrypted> encrypt(Caller caller, String org, String name, String data) {
        if (data == null || data.isEmpty()) {
            throw new ValidationException("data is required: the value to encrypt, e.g. {\"data\": \"s3cr3t\"}");
        }
        if (data.length() > 64 * 1024) {
            throw new ValidationException("data must be at most 65536 characters");
        }
        return repos.require(org, name, caller.repoId()).map(repo -> {
            SecretSeal.Sealed sealed = cipher.seal("drone-encrypted:repo:" + repo.id(), data);
            byte[] out = ByteBuffer.allocate(sealed.nonce().length + sealed.ciphertext().length)
                    .put(sealed.nonce()).put(sealed.ciphertext()).array();
            return new Encrypted(Base64.getEncoder().encodeToString(out));
        });
    }

    private Uni<DroneRepo> change(Caller caller, String org, String name, CiSettingsPatch patch) {
        return repos.require(org, name, caller.repoId()).chain(repo -> change(repo, patch));
    }

    private Uni<DroneRepo> change(Repo repo, CiSettingsPatch patch) {
        return settings.update(repo.id(), patch).chain(s -> view(repo, s));
    }

    private Uni<DroneRepo> view(Repo repo, CiSettings s) {
        return drone.counter(pool, repo.id()).map(counter -> DroneRepo.of(repo, s, counter, publicUrl));
    }

    private static void unsupported(String field, Boolean value, String why) {
        if (Boolean.TRUE.equals(value)) {
            throw new ValidationException(field + " cannot be enabled on Shoal: " + why);
        }
    }

    private static void toggle(Set<String> events, String event, Boolean on) {
        if (Boolean.TRUE.equals(on)) {
            events.add(event);
        } else if (Boolean.FALSE.equals(on)) {
            events.remove(event);
        }
    }

    // --- builds -----------------------------------------------------------------------------------

    public Uni<List<DroneBuild>> builds(Caller caller, String org, String name, String page, String perPage) {
        PageRequest request = PageRequest.of(page, perPage, 25, 100);
        return repos.require(org, name, caller.repoId()).chain(repo -> pipelineRows
                .list(pool, repo.id(), PipelineFilter.NONE, request.perPage(), request.offset())
                .chain(rows -> views(repo, rows)));
    }

    public Uni<DroneBuild> build(Caller caller, String org, String name, String number) {
        long n = PipelineService.parseNumber(number, "build number");
        return repos.require(org, name, caller.repoId()).chain(repo -> find(repo, n).chain(row -> view(repo, row)));
    }

    /** The newest build of a ref: {@code branch} wins over {@code ref}; neither means the default branch. */
    public Uni<DroneBuild> latest(Caller caller, String org, String name, String ref, String branch) {
        return repos.require(org, name, caller.repoId()).chain(repo -> {
            String wanted = branch != null && !branch.isBlank() ? "refs/heads/" + branch
                    : ref != null && !ref.isBlank() ? ref : "refs/heads/" + repo.defaultBranch();
            return drone.latest(pool, repo.id(), wanted).chain(found -> view(repo, found.orElseThrow(() ->
                    new NotFoundException("no build of " + wanted + " in " + repo.fullName()))));
        });
    }

    /** Drone's create build: the head (or {@code commit}) of a branch (default: the default branch), with parameters. */
    public Uni<DroneBuild> create(Caller caller, String org, String name, String branch, String commit,
                                  Map<String, String> params) {
        return repos.require(org, name, caller.repoId()).chain(repo -> pipelines.trigger(caller, repo,
                        branch == null || branch.isBlank() ? null : branch, commit == null || commit.isBlank() ? null : commit,
                        params))
                .chain(created -> byNumber(caller, org, name, created));
    }

    /** Drone's restart: a new build of the same commit, with the old build's parameters and the given ones. */
    public Uni<DroneBuild> restart(Caller caller, String org, String name, String number, Map<String, String> params) {
        long n = PipelineService.parseNumber(number, "build number");
        return repos.require(org, name, caller.repoId()).chain(repo -> pipelines.restart(caller, repo, n, null, params))
                .chain(created -> byNumber(caller, org, name, created));
    }

    public Uni<DroneBuild> cancel(Caller caller, String org, String name, String number) {
        return pipelines.cancel(caller, org, name, number).chain(cancelled -> byNumber(caller, org, name, cancelled));
    }

    private Uni<DroneBuild> byNumber(Caller caller, String org, String name, Pipeline pipeline) {
        return repos.require(org, name, caller.repoId())
                .chain(repo -> find(repo, pipeline.number()).chain(row -> view(repo, row)));
    }

    private Uni<PipelineRow> find(Repo repo, long number) {
        return pipelineRows.byNumber(pool, repo.id(), number, false).map(found -> found.orElseThrow(() ->
                new NotFoundException("build #" + number + " not found in " + repo.fullName())));
    }

    private Uni<DroneBuild> view(Repo repo, PipelineRow row) {
        return views(repo, List.of(row)).map(list -> list.get(0));
    }

    private Uni<List<DroneBuild>> views(Repo repo, List<PipelineRow> rows) {
        List<Long> ids = rows.stream().map(PipelineRow::id).toList();
        return drone.steps(pool, ids).map(steps -> rows.stream()
                .map(row -> DroneBuild.of(repo, row, steps.getOrDefault(row.id(), List.of()), row.variables(), publicUrl,
                        avatars.url(row.commitFacts().authorEmail())))
                .toList());
    }

    // --- logs -------------------------------------------------------------------------------------

    /** The step a Drone 1.x log path names: build number, stage number, step number inside the stage. */
    public Uni<StepRow> step(Caller caller, String org, String name, String number, String stage, String step) {
        long n = PipelineService.parseNumber(number, "build number");
        long stageNumber = PipelineService.parseNumber(stage, "stage number");
        long stepNumber = PipelineService.parseNumber(step, "step number");
        return repos.require(org, name, caller.repoId()).chain(repo -> find(repo, n)
                .chain(row -> pipelineRows.steps(pool, row.id())).map(steps -> {
                    List<DroneBuild.StageGroup> stages = DroneBuild.stages(steps);
                    if (stageNumber > stages.size()) {
                        throw new NotFoundException("stage " + stageNumber + " not found in build #" + n
                                + " (it has " + stages.size() + ")");
                    }
                    List<StepRow> inStage = stages.get((int) stageNumber - 1).steps();
                    if (stepNumber > inStage.size()) {
                        throw new NotFoundException("step " + stepNumber + " not found in stage " + stageNumber
                                + " of build #" + n + " (it has " + inStage.size() + ")");
                    }
                    return inStage.get((int) stepNumber - 1);
                }));
    }

    /** The step's log as Drone 1.x lines: {@code pos} from 0, {@code out} with its newline, {@code time} in seconds since the step started. */
    public Uni<List<LogLine>> lines(StepRow step) {
        return drone.chunks(pool, step.id()).map(chunks -> lines(chunks, step.startedAt()));
    }

    static List<LogLine> lines(List<TimedChunk> chunks, Instant startedAt) {
        long total = chunks.stream().mapToLong(c -> c.bytes().length).sum();
        long skip = Math.max(0, total - MAX_JSON_LOG_BYTES);
        List<LogLine> out = new ArrayList<>();
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        long lineTime = -1;
        for (TimedChunk chunk : chunks) {
            long time = startedAt == null || chunk.at() == null ? 0
                    : Math.max(0, chunk.at().getEpochSecond() - startedAt.getEpochSecond());
            for (byte b : chunk.bytes()) {
                if (skip > 0) {
                    skip--;
                    continue;
                }
                if (lineTime < 0) {
                    lineTime = time;
                }
                line.write(b);
                if (b == '\n') {
                    out.add(new LogLine(out.size(), line.toString(StandardCharsets.UTF_8), lineTime));
                    line.reset();
                    lineTime = -1;
                }
            }
        }
        if (line.size() > 0) {
            out.add(new LogLine(out.size(), line.toString(StandardCharsets.UTF_8), Math.max(lineTime, 0)));
        }
        return out;
    }

    /** Drone's log delete: only for a finished step, whose log can no longer grow. */
    public Uni<Void> deleteLog(StepRow step) {
        if (!Statuses.isFinished(step.status())) {
            throw new ConflictException("step '" + step.name() + "' is " + step.status()
                    + "; its log can be deleted once it has finished");
        }
        return pool.withTransaction(tx -> drone.deleteLog(tx, step.id()));
    }

    // --- summaries for the gateway -------------------------------------------------------------------

    /** A repository's Drone view and its latest build (null before the first), for the user endpoints. */
    public record RepoSummary(DroneRepo repo, DroneBuild build) {
    }

    /** The repositories among {@code repoIds} that this service knows, in the given order. */
    public Uni<List<RepoSummary>> summaries(List<Long> repoIds) {
        return io.smallrye.mutiny.Multi.createFrom().iterable(repoIds)
                .onItem().transformToUniAndConcatenate(id -> repos.byId(pool, id).chain(found -> found.isEmpty()
                        ? Uni.createFrom().item(java.util.Optional.<RepoSummary>empty())
                        : summary(found.get()).map(java.util.Optional::of)))
                .filter(java.util.Optional::isPresent).map(java.util.Optional::get)
                .collect().asList();
    }

    private Uni<RepoSummary> summary(Repo repo) {
        return settings.get(repo.id()).chain(s -> view(repo, s))
                .chain(droneRepo -> pipelineRows.list(pool, repo.id(), PipelineFilter.NONE, 1, 0).chain(rows -> rows.isEmpty()
                        ? Uni.createFrom().item(new RepoSummary(droneRepo, null))
                        : view(repo, rows.get(0)).map(build -> new RepoSummary(droneRepo, build))));
    }

    // --- queue ------------------------------------------------------------------------------------

    /** Every pending or running build as one queue item per build (its stage), oldest first. */
    public Uni<List<QueueItem>> queue() {
        return drone.queue(pool, MAX_QUEUE).map(rows -> rows.stream().map(q -> {
            PipelineRow p = q.pipeline();
            return new QueueItem(p.id(), p.repoId(), p.id(), 1, DroneBuild.DEFAULT_STAGE, "pipeline", "docker",
                    DroneWords.status(p.status()), p.agentId() == null ? "" : "agent-" + p.agentId(), "linux", "amd64",
                    DroneWords.unix(p.createdAt()), DroneWords.latest(p.createdAt(), p.startedAt()),
                    DroneWords.unix(p.startedAt()), 1, p.labels(), q.org(), q.name(), p.number());
        }).toList());
    }
}
