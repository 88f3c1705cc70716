package dev.shoal.pipeline.pipeline;

import java.time.Instant;

/**
 * What a pipeline knows of the commit it builds: its message, its author's name and email, and the
 * time it was committed; from the push that started it, else (cron, by hand, a pull request) from
 * repo-service. Unknown parts are null (repo-service did not answer, or stored before the facts were kept).
 */
public record CommitFacts(String message, String authorName, String authorEmail, Instant timestamp) {

    public static final CommitFacts NONE = new CommitFacts(null, null, null, null);

    /** Longest message kept (a commit message can be as long as its author likes). */
    static final int MAX_MESSAGE = 64 * 1024;
    private static final int MAX_NAME = 512;

    public CommitFacts {
        message = cut(message, MAX_MESSAGE);
        authorName = cut(authorName, MAX_NAME);
        authorEmail = cut(authorEmail, MAX_NAME);
    }

    private static String cut(String value, int max) {
        if (value == null) {
            return null;
        }
        String clean = value.replace("\0", "");
        return clean.length() > max ? clean.substring(0, max) : clean;
    }
}
