package dev.shoal.repo.git.ssh;

/**
 * The SSH server's two questions (ADR 0010): who holds a key, and may it read or write a repository.
 * Answered by the gateway ({@link GatewaySshAccess}); the server decides nothing alone. Blocking:
 * called from MINA's threads and the SSH command pool, never from the event loop.
 */
public interface SshAccess {

    /** Who holds the key: {@code kind} {@code user} or {@code deploy_key}, and the user's login or the key's title. */
    record Holder(String kind, String name) {
    }

    /** What the gateway allowed for one command: its internal JWT for this service, and the repository's id. */
    record Grant(String token, long repoId) {
    }

    /** Throws {@code ApiException} when the key is unknown, its user deactivated, or the gateway unreachable. */
    Holder holder(String fingerprint);

    /** Throws {@code ApiException} with the gateway's status and message when the key may not. */
    Grant access(String fingerprint, String org, String repo, boolean write);
}
