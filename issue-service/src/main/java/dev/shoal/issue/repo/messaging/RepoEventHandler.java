package dev.shoal.issue.repo.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.issue.client.RepoGateway.RepoInfo;
import dev.shoal.issue.pull.service.PullService;
import dev.shoal.issue.repo.repository.RepoRecords;
import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.EventTypes;
import dev.shoal.platform.event.Topics;
import dev.shoal.platform.event.schema.RepoChanged;
import dev.shoal.platform.event.schema.RepoPushed;
import dev.shoal.platform.messaging.EventHandler;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Follows repositories: renames and visibility (repo.created/updated), deletion (hides the
 * repository's issues and pull requests), and pushes (open pull requests track their branches).
 */
@ApplicationScoped
public class RepoEventHandler implements EventHandler {

    private final RepoRecords repos;
    private final PullService pulls;
    private final ObjectMapper mapper;

    public RepoEventHandler(RepoRecords repos, PullService pulls, ObjectMapper mapper) {
        this.repos = repos;
        this.pulls = pulls;
        this.mapper = mapper;
    }

    @Override
    public String name() {
        return "issue-service.repos";
    }

    @Override
    public List<String> topics() {
        return List.of(Topics.REPO);
    }

    @Override
    public Uni<Void> apply(SqlConnection tx, EventEnvelope event) {
        if (event.is(EventTypes.REPO_CREATED) || event.is(EventTypes.REPO_UPDATED)) {
            RepoChanged repo = EventTypes.REPO_UPDATED.read(mapper, event);
            return repos.upsert(tx, new RepoInfo(repo.id(), repo.org(), repo.name(), repo.isPrivate(), repo.defaultBranch()));
        }
        if (event.is(EventTypes.REPO_DELETED)) {
            RepoChanged repo = EventTypes.REPO_DELETED.read(mapper, event);
            return repos.markDeleted(tx, repo.id(), repo.org(), repo.name());
        }
        if (event.is(EventTypes.REPO_PUSHED)) {
            RepoPushed pushed = EventTypes.REPO_PUSHED.read(mapper, event);
            return pulls.onPushed(tx, event, pushed.ref(), pushed.after());
        }
        return Uni.createFrom().voidItem();
    }
}
