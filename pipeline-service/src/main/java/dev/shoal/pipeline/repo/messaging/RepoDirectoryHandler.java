package dev.shoal.pipeline.repo.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.pipeline.repo.Repo;
import dev.shoal.pipeline.repo.service.RepoDirectory;
import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.EventTypes;
import dev.shoal.platform.event.Topics;
import dev.shoal.platform.event.schema.RepoChanged;
import dev.shoal.platform.messaging.EventHandler;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Keeps the {@code repos} table from repo.created, repo.updated and repo.deleted. */
@ApplicationScoped
public class RepoDirectoryHandler implements EventHandler {

    private final RepoDirectory directory;
    private final ObjectMapper mapper;

    public RepoDirectoryHandler(RepoDirectory directory, ObjectMapper mapper) {
        this.directory = directory;
        this.mapper = mapper;
    }

    @Override
    public String name() {
        return "pipeline-repo-directory";
    }

    @Override
    public List<String> topics() {
        return List.of(Topics.REPO);
    }

    @Override
    public Uni<Void> apply(SqlConnection tx, EventEnvelope event) {
        if (!event.is(EventTypes.REPO_CREATED) && !event.is(EventTypes.REPO_UPDATED) && !event.is(EventTypes.REPO_DELETED)) {
            return Uni.createFrom().voidItem();
        }
        RepoChanged repo = EventTypes.REPO_UPDATED.read(mapper, event);
        if (event.is(EventTypes.REPO_DELETED)) {
            return directory.markDeleted(tx, repo.id());
        }
        return directory.upsert(tx, new Repo(repo.id(), repo.orgId(), repo.org(), repo.name(), repo.isPrivate(),
                repo.defaultBranch()));
    }
}
