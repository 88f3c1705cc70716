package dev.shoal.gateway.compat.pagure.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.gateway.compat.pagure.service.ProjectAccess;
import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.EventTypes;
import dev.shoal.platform.event.Topics;
import dev.shoal.platform.messaging.EventHandler;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Keeps the gateway's copy of per-repository access (Pagure ACLs, blocked users) in step with repo-service. */
@ApplicationScoped
public class ProjectAccessUpdater implements EventHandler {

    private final ProjectAccess access;
    private final ObjectMapper mapper;

    public ProjectAccessUpdater(ProjectAccess access, ObjectMapper mapper) {
        this.access = access;
        this.mapper = mapper;
    }

    @Override
    public String name() {
        return "gateway-project-access";
    }

    @Override
    public List<String> topics() {
        return List.of(Topics.REPO);
    }

    @Override
    public Uni<Void> apply(SqlConnection tx, EventEnvelope event) {
        if (event.is(EventTypes.REPO_ACCESS_CHANGED)) {
            return access.replace(tx, EventTypes.REPO_ACCESS_CHANGED.read(mapper, event));
        }
        if (event.is(EventTypes.REPO_DELETED)) {
            return access.forget(tx, event.repo().id());
        }
        return Uni.createFrom().voidItem();
    }
}
