package dev.shoal.pipeline.compat.drone.rest;

/**
 * Drone and Woodpecker share {@code /api/repos/…}: Drone names a repository {@code {owner}/{name}},
 * Woodpecker by its numeric id ({@code /api/repos/{repo_id}/move}). The rule, the same as the
 * gateway's route table: a first segment of digits only is a Woodpecker id (its paths in
 * {@code WoodpeckerRepoResource} say {@code {repo_id: [0-9]+}}), anything else a Drone owner. Organization names are never all digits
 * (the gateway refuses them), so every Drone repository is reachable whatever its name
 * ({@code move}, {@code branches}, …).
 */
final class DronePaths {

    /**
     * {@code {org}/{repo}} under {@code /api/repos}, for an owner that is not all digits (it holds one
     * character besides them). It sits on the methods of a resource at {@code /api/repos}, beside
     * Woodpecker's: RESTEasy Reactive picks among the methods of resources with the same class path
     * by their templates, and would not fall back from a class path with a differently named parameter.
     */
    static final String REPO = "/{org: [^/]*[^0-9/][^/]*}/{repo}";

    private DronePaths() {
    }
}
