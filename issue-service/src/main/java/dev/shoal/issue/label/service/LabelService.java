package dev.shoal.issue.label.service;

import dev.shoal.issue.label.Label;
import dev.shoal.issue.label.repository.LabelRepository;
import dev.shoal.issue.repo.service.RepoScopes;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.api.PageResponse;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.identity.Caller;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.regex.Pattern;

@ApplicationScoped
public class LabelService {

    private static final Pattern COLOR = Pattern.compile("#[0-9A-Fa-f]{6}");

    public record LabelInput(String name, String color, String description) {
    }

    private final Pool pool;
    private final LabelRepository labels;
    private final RepoScopes repos;

    public LabelService(Pool pool, LabelRepository labels, RepoScopes repos) {
        this.pool = pool;
        this.labels = labels;
        this.repos = repos;
    }

    public Uni<PageResponse<Label>> list(Caller caller, String org, String name, PageRequest page) {
        return repos.forRead(caller, org, name).chain(repo -> labels.list(pool, repo.id(), page.perPage(), page.offset())
                .chain(items -> labels.count(pool, repo.id()).map(total -> PageResponse.of(items, page, total))));
    }

    public Uni<Label> create(Caller caller, String org, String name, LabelInput input) {
        if (input.name() == null || input.color() == null) {
            throw new ValidationException("name and color are required");
        }
        String labelName = checkName(input.name());
        String color = checkColor(input.color());
        return repos.forWrite(caller, org, name).chain(repo -> pool.withTransaction(tx ->
                labels.insert(tx, repo.id(), labelName, color, input.description() == null ? "" : input.description())));
    }

    public Uni<Label> update(Caller caller, String org, String name, long id, LabelInput input) {
        return repos.forRead(caller, org, name).chain(repo -> pool.withTransaction(tx -> labels.find(tx, repo.id(), id)
                .chain(found -> {
                    Label label = found.orElseThrow(() -> notFound(id));
                    return labels.update(tx, new Label(label.id(),
                            input.name() == null ? label.name() : checkName(input.name()),
                            input.color() == null ? label.color() : checkColor(input.color()),
                            input.description() == null ? label.description() : input.description(), label.createdAt()));
                })));
    }

    public Uni<Void> delete(Caller caller, String org, String name, long id) {
        return repos.forRead(caller, org, name).chain(repo -> pool.withTransaction(tx -> labels.delete(tx, repo.id(), id)))
                .invoke(count -> {
                    if (count == 0) {
                        throw notFound(id);
                    }
                })
                .replaceWithVoid();
    }

    private static String checkName(String raw) {
        String name = raw.strip();
        if (name.isEmpty() || name.length() > 50) {
            throw new ValidationException("name must be 1-50 characters");
        }
        return name;
    }

    private static String checkColor(String color) {
        if (!COLOR.matcher(color).matches()) {
            throw new ValidationException("color must be #RRGGBB (six hex digits), e.g. #DC2626");
        }
        return color.toUpperCase(java.util.Locale.ROOT);
    }

    private static NotFoundException notFound(long id) {
        return new NotFoundException("label " + id + " not found in this repository");
    }
}
