package dev.shoal.gateway.directory;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.EventTypes;
import dev.shoal.platform.event.Topics;
import dev.shoal.platform.event.schema.RepoChanged;
import dev.shoal.platform.messaging.EventHandler;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Keeps the repository directory in step with repo-service's {@code repo.*} events. */
@ApplicationScoped
public class RepoDirectoryUpdater implements EventHandler {

    private final RepoDirectory directory;
    private final ObjectMapper mapper;

    public RepoDirectoryUpdater(RepoDirectory directory, ObjectMapper mapper) {
        this.directory = directory;
        this.mapper = mapper;
    }

    @Override
    public String name() {
        return "gateway-repo-directory";
    }

    @Override
    public List<String> topics() {
        return List.of(Topics.REPO);
    }

    @Override
    public Uni<Void> apply(SqlConnection tx, EventEnvelope event) {
        if (event.is(EventTypes.REPO_DELETED)) {
            return directory.remove(tx, event.repo().id());
        }
        if (event.is(EventTypes.REPO_CREATED) || event.is(EventTypes.REPO_UPDATED)) {
            RepoChanged repo = EventTypes.REPO_UPDATED.read(mapper, event);
            return directory.upsert(tx, new RepoEntry(repo.id(), repo.orgId(), repo.org(), repo.name(), repo.isPrivate()));
        }
        return Uni.createFrom().voidItem();
    }
}
