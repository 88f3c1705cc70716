package dev.shoal.issue.support;

import dev.shoal.platform.testing.InternalKeys;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Tokens as the gateway would mint them, and fresh repository ids so test classes never collide. */
public final class TestCallers {

    private static final AtomicLong NEXT_REPO = new AtomicLong(System.currentTimeMillis() % 1_000_000 * 1000);

    private TestCallers() {
    }

    public static long newRepoId() {
        return NEXT_REPO.incrementAndGet();
    }

    public static String member(long userId, String login, long repoId) {
        return InternalKeys.shared().userToken(userId, login, List.of("read", "write"), 1L, repoId, "member");
    }

    public static String owner(long userId, String login, long repoId) {
        return InternalKeys.shared().userToken(userId, login, List.of("read", "write", "admin"), 1L, repoId, "owner");
    }

    public static String reader(long userId, String login, long repoId) {
        return InternalKeys.shared().userToken(userId, login, List.of("read", "write"), 1L, repoId, "none");
    }
}
