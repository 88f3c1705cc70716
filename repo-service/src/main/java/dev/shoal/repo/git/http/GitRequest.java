package dev.shoal.repo.git.http;

/** Request attributes the auth filter sets for the git servlet. */
final class GitRequest {

    static final String REPO = "shoal.repo";
    static final String CALLER = "shoal.caller";
    /** A {@code RefNamespace} the request is confined to (Code Storage's {@code +ephemeral} remote). */
    static final String NAMESPACE = "shoal.namespace";
    static final String PREFIX = "/git";

    private GitRequest() {
    }
}
