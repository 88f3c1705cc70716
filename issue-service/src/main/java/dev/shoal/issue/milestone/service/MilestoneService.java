package dev.shoal.issue.milestone.service;

import dev.shoal.issue.milestone.Milestone;
import dev.shoal.issue.milestone.repository.MilestoneRepository;
import dev.shoal.issue.repo.service.RepoScopes;
import dev.shoal.issue.support.Allowed;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.api.PageResponse;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.identity.Caller;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

@ApplicationScoped
public class MilestoneService {

    private static final List<String> STATES = List.of("open", "closed");

    public record MilestoneInput(String title, String description, Instant dueOn, String state) {
    }

    private final Pool pool;
    private final MilestoneRepository milestones;
    private final RepoScopes repos;

    public MilestoneService(Pool pool, MilestoneRepository milestones, RepoScopes repos) {
        this.pool = pool;
        this.milestones = milestones;
        this.repos = repos;
    }

    public Uni<PageResponse<Milestone>> list(Caller caller, String org, String name, String stateRaw, PageRequest page) {
        String state = Allowed.oneOf("state", stateRaw, "open", List.of("open", "closed", "all"));
        String filter = "all".equals(state) ? null : state;
        return repos.forRead(caller, org, name).chain(repo -> milestones.list(pool, repo.id(), filter, page.perPage(), page.offset())
                .chain(items -> milestones.count(pool, repo.id(), filter).map(total -> PageResponse.of(items, page, total))));
    }

    public Uni<Milestone> create(Caller caller, String org, String name, MilestoneInput input) {
        if (input.title() == null) {
            throw new ValidationException("title is required");
        }
        String title = checkTitle(input.title());
        String state = Allowed.oneOf("state", input.state(), "open", STATES);
        return repos.forWrite(caller, org, name).chain(repo -> pool.withTransaction(tx ->
                milestones.insert(tx, repo.id(), title, input.description() == null ? "" : input.description(),
                                input.dueOn(), state)
                        .chain(id -> milestones.find(tx, repo.id(), id)).map(m -> m.orElseThrow())));
    }

    public Uni<Milestone> update(Caller caller, String org, String name, long id, MilestoneInput input) {
        return repos.forRead(caller, org, name).chain(repo -> pool.withTransaction(tx -> milestones.find(tx, repo.id(), id)
                .chain(found -> {
                    Milestone current = found.orElseThrow(() -> notFound(id));
                    String title = input.title() == null ? current.title() : checkTitle(input.title());
                    String state = Allowed.oneOf("state", input.state(), current.state(), STATES);
                    return milestones.update(tx, id, title,
                                    input.description() == null ? current.description() : input.description(),
                                    input.dueOn() == null ? current.dueOn() : input.dueOn(), state)
                            .chain(() -> milestones.find(tx, repo.id(), id)).map(m -> m.orElseThrow());
                })));
    }

    public Uni<Void> delete(Caller caller, String org, String name, long id) {
        return repos.forRead(caller, org, name)
                .chain(repo -> pool.withTransaction(tx -> milestones.delete(tx, repo.id(), id)))
                .invoke(count -> {
                    if (count == 0) {
                        throw notFound(id);
                    }
                }).replaceWithVoid();
    }

    private static String checkTitle(String raw) {
        String title = raw.strip();
        if (title.isEmpty() || title.length() > 255) {
            throw new ValidationException("title must be 1-255 characters");
        }
        return title;
    }

    private static NotFoundException notFound(long id) {
        return new NotFoundException("milestone " + id + " not found in this repository");
    }
}
