package dev.shoal.pipeline.pull.service;

import dev.shoal.pipeline.pull.PullRequestRow;
import dev.shoal.pipeline.pull.repository.PullRequestRepository;
import dev.shoal.pipeline.repo.Repo;
import dev.shoal.platform.api.PageRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The open pull requests of a repository, as the pull_request.* events left them. */
@ApplicationScoped
public class PullRequestService {

    private final Pool pool;
    private final PullRequestRepository pulls;

    public PullRequestService(Pool pool, PullRequestRepository pulls) {
        this.pool = pool;
        this.pulls = pulls;
    }

    public Uni<List<PullRequestRow>> open(Repo repo, PageRequest page) {
        return pulls.listOpen(pool, repo.id(), page.perPage(), page.offset());
    }
}
