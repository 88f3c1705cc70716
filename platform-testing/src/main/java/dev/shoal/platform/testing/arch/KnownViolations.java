package dev.shoal.platform.testing.arch;

import java.util.Map;
import java.util.Set;

/**
 * The exact violations of {@link ArchitectureRules} the code had when the rules came (issue #22),
 * frozen so that the rules stop every new one. Each entry is one origin class and the classes it may
 * still use; an entry goes with the change that fixes it, and the list only shrinks (the compat
 * layers are being reshaped into {@code rest → service → repository} under {@code compat/}).
 */
final class KnownViolations {

    private static final String POOL = "io.vertx.mutiny.sqlclient.Pool";
    private static final String PIPELINE_REPOSITORY = "dev.shoal.pipeline.pipeline.repository.PipelineRepository";

    /** Resource → Pool or repository. */
    private static final Map<String, Set<String>> RESOURCE_TO_DATABASE = Map.of(
            // Woodpecker (pipeline-service): resources that run SQL or read PipelineRepository themselves,
            // one lookup per pipeline in the all-pipelines list; to move behind a Woodpecker service.
            "dev.shoal.pipeline.compat.woodpecker.WoodpeckerHealthResource", Set.of(POOL),
            "dev.shoal.pipeline.compat.woodpecker.WoodpeckerAllPipelinesResource", Set.of(POOL, PIPELINE_REPOSITORY),
            "dev.shoal.pipeline.compat.woodpecker.WoodpeckerAgentResource", Set.of(POOL, PIPELINE_REPOSITORY),
            "dev.shoal.pipeline.compat.woodpecker.WoodpeckerStreamResource", Set.of(POOL, PIPELINE_REPOSITORY),
            // Pagure users and groups (api-gateway): SQL and the directory repository in the resource.
            "dev.shoal.gateway.pagure.rest.PagureUsersResource",
            Set.of(POOL, "dev.shoal.gateway.pagure.repository.PagureDirectoryRepository"),
            // Pagure projects (repo-service): resources calling PagureRepository.
            "dev.shoal.repo.compat.pagure.rest.PagureProjectResource", Set.of("dev.shoal.repo.compat.pagure.repository.PagureRepository"),
            "dev.shoal.repo.compat.pagure.rest.InternalPagureResource", Set.of("dev.shoal.repo.compat.pagure.repository.PagureRepository"),
            // Pagure issues and pulls (issue-service): the JSON shaping in rest reads repository rows.
            "dev.shoal.issue.compat.pagure.rest.PagureJson", Set.of("dev.shoal.issue.compat.pagure.repository.PagureIssueRepository",
                    "dev.shoal.issue.compat.pagure.repository.PagurePullRepository"),
            // Native, not part of the compat work: PullResource builds PullRepository.NewLineComment, a record
            // that belongs in dev.shoal.issue.pull (PagurePullService uses it too: move it once that work is merged).
            "dev.shoal.issue.pull.rest.PullResource", Set.of("dev.shoal.issue.pull.repository.PullRepository"));

    /** Native class → compat class. */
    private static final Map<String, Set<String>> NATIVE_TO_COMPAT = Map.of(
            // The gateway's Pagure package lives outside compat/ (to move to gateway.compat.pagure).
            "dev.shoal.gateway.pagure.PagureExtrasResource", Set.of("dev.shoal.platform.compat.pagure.PagureErrors"),
            "dev.shoal.gateway.pagure.rest.PagureUsersResource", Set.of("dev.shoal.platform.compat.pagure.PagureException",
                    "dev.shoal.platform.compat.pagure.PagurePagination"),
            // Code Storage lives outside compat/ in repo-service (to move to repo.compat.storage).
            "dev.shoal.repo.storage.rest.FileAnswer", Set.of("dev.shoal.platform.compat.storage.StorageErrors"),
            // Not part of the compat work: the gateway writes its own errors (503, 401, …) in the dialect of the
            // path. The front door must know each dialect's error shape; a per-dialect error writer that
            // registers itself would turn this around.
            "dev.shoal.gateway.proxy.ErrorWriter", Set.of("dev.shoal.platform.compat.pagure.PagureErrors",
                    "dev.shoal.platform.compat.storage.StorageErrors"));

    private KnownViolations() {
    }

    static boolean resourceTouchingTheDatabase(String origin, String target) {
        return RESOURCE_TO_DATABASE.getOrDefault(origin, Set.of()).contains(target);
    }

    static boolean nativeDependingOnCompat(String origin, String target) {
        return NATIVE_TO_COMPAT.getOrDefault(origin, Set.of()).contains(target);
    }
}
