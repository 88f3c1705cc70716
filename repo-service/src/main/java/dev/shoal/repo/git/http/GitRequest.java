package dev.shoal.repo.git.http;

/** Request attributes the auth filter sets for the git servlet. */
final class GitRequest {

    static final String REPO = "shoal.repo";
    static final String CALLER = "shoal.caller";
    static final String PREFIX = "/git";

    private GitRequest() {
    }
}
