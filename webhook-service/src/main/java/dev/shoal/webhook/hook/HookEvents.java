package dev.shoal.webhook.hook;

import java.util.List;
import java.util.Optional;

/** The event kinds a hook subscribes to, and which Shoal event types each one covers. */
public final class HookEvents {

    public static final String PUSH = "push";
    public static final String ISSUE = "issue";
    public static final String PULL_REQUEST = "pull_request";
    public static final String PIPELINE = "pipeline";
    public static final String RELEASE = "release";
    public static final String TAG = "tag";
    /** Sent once when a hook is created; not subscribable. */
    public static final String PING = "ping";

    public static final List<String> ALLOWED = List.of(PUSH, ISSUE, PULL_REQUEST, PIPELINE, RELEASE, TAG);

    private HookEvents() {
    }

    /** The hook event a Shoal event type is delivered as, if any. */
    public static Optional<String> forEventType(String type) {
        if (type.equals("repo.pushed")) {
            return Optional.of(PUSH);
        }
        if (type.equals("tag.created")) {
            return Optional.of(TAG);
        }
        if (type.equals("release.published")) {
            return Optional.of(RELEASE);
        }
        if (type.startsWith("issue.")) {
            return Optional.of(ISSUE);
        }
        if (type.startsWith("pull_request.")) {
            return Optional.of(PULL_REQUEST);
        }
        if (type.startsWith("pipeline.")) {
            return Optional.of(PIPELINE);
        }
        return Optional.empty();
    }

    /** The action word of a payload: {@code issue.opened} → {@code opened}. */
    public static String action(String type) {
        int dot = type.indexOf('.');
        return dot < 0 ? type : type.substring(dot + 1);
    }
}
