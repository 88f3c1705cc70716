package dev.shoal.pipeline.pull.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.pipeline.pipeline.Trigger;
import dev.shoal.pipeline.pipeline.repository.PipelineRepository;
import dev.shoal.pipeline.pipeline.service.PipelineService;
import dev.shoal.pipeline.pull.PullRequestRow;
import dev.shoal.pipeline.pull.repository.PullRequestRepository;
import dev.shoal.pipeline.repo.Repo;
import dev.shoal.pipeline.repo.service.RepoDirectory;
import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.EventType;
import dev.shoal.platform.event.EventTypes;
import dev.shoal.platform.event.Topics;
import dev.shoal.platform.event.schema.PullRequestEvent;
import dev.shoal.platform.messaging.EventHandler;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Keeps the {@code pull_request} table from pull_request.* events and turns {@code opened} and
 * {@code updated} of an open pull request into a {@code pull_request} pipeline at its head commit.
 * Reviews and comments are {@code updated} events with the same head: a pull request gets one
 * pipeline per head commit (a push to its branch still gets its own {@code push} pipeline, as in
 * Woodpecker). Runs inside the consumer's deduplicating transaction.
 */
@ApplicationScoped
public class PullRequestTriggerHandler implements EventHandler {

    private static final Logger LOG = Logger.getLogger(PullRequestTriggerHandler.class);
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");
    private static final List<EventType<PullRequestEvent>> TYPES = List.of(EventTypes.PULL_REQUEST_OPENED,
            EventTypes.PULL_REQUEST_UPDATED, EventTypes.PULL_REQUEST_MERGED, EventTypes.PULL_REQUEST_CLOSED);

    private final PipelineService pipelines;
    private final PipelineRepository pipelineRows;
    private final PullRequestRepository pulls;
    private final RepoDirectory repos;
    private final ObjectMapper mapper;

    public PullRequestTriggerHandler(PipelineService pipelines, PipelineRepository pipelineRows, PullRequestRepository pulls,
                                     RepoDirectory repos, ObjectMapper mapper) {
        this.pipelines = pipelines;
        this.pipelineRows = pipelineRows;
        this.pulls = pulls;
        this.repos = repos;
        this.mapper = mapper;
    }

    @Override
    public String name() {
        return "pipeline-pull-request-trigger";
    }

    @Override
    public List<String> topics() {
        return List.of(Topics.ISSUE);
    }

    @Override
    public Uni<Void> apply(SqlConnection tx, EventEnvelope event) {
        EventType<PullRequestEvent> type = TYPES.stream().filter(event::is).findFirst().orElse(null);
        if (type == null || event.repo() == null) {
            return Uni.createFrom().voidItem();
        }
        PullRequestEvent.PullRequest pr = type.read(mapper, event).pullRequest();
        if (pr == null || pr.number() <= 0 || pr.number() > Integer.MAX_VALUE || pr.sourceBookmark() == null
                || pr.targetBranch() == null) {
            LOG.warnf("%s %s carries no usable pull request; ignored", event.type(), event.id());
            return Uni.createFrom().voidItem();
        }
        EventEnvelope.RepoRef ref = event.repo();
        int number = (int) pr.number();
        boolean fromFork = Boolean.TRUE.equals(pr.fromFork());
        String status = pr.status() == null ? "open" : pr.status();
        PullRequestRow row = new PullRequestRow(ref.id(), number, pr.title() == null ? "" : pr.title(), status,
                pr.sourceBookmark(), pr.targetBranch(), pr.headSha(), fromFork, null);
        Uni<Void> kept = repos.remember(tx, ref.id(), ref.org(), ref.name(), ref.isPrivate())
                .chain(() -> pulls.upsert(tx, row));
        boolean builds = (type == EventTypes.PULL_REQUEST_OPENED || type == EventTypes.PULL_REQUEST_UPDATED)
                && "open".equals(status) && pr.headSha() != null && SHA.matcher(pr.headSha()).matches();
        if (!builds) {
            return kept;
        }
        Long userId = event.actor() != null ? event.actor().id() : pr.author() == null ? null : pr.author().id();
        String login = event.actor() != null ? event.actor().login() : pr.author() == null ? null : pr.author().username();
        Trigger trigger = new Trigger(Trigger.PULL_REQUEST, pr.sourceBookmark(), "refs/pull/" + number + "/head",
                pr.headSha(), userId, login, fromFork, java.util.Map.of(), 0,
                new Trigger.PullRequestRef(number, pr.targetBranch(), row.title()));
        return kept
                .chain(() -> pipelineRows.hasPullRequestPipeline(tx, ref.id(), number, pr.headSha()))
                .chain(exists -> exists ? Uni.createFrom().voidItem() : repos.byId(tx, ref.id())
                        .map(repo -> repo.orElse(new Repo(ref.id(), null, ref.org(), ref.name(), ref.isPrivate(), "main")))
                        .chain(repo -> pipelines.configFor(tx, repo, trigger).chain(config -> config.isEmpty()
                                ? Uni.createFrom().voidItem()
                                : pipelines.create(tx, repo, trigger, config.get()).replaceWithVoid())));
    }
}
