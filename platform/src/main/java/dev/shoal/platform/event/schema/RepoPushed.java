package dev.shoal.platform.event.schema;

import java.util.List;

/** {@code repo.pushed}: one ref moved; up to 20 of the commits it gained, newest first. */
@com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
public record RepoPushed(String ref, String before, String after, List<Commit> commits, Pusher pusher) {

    public record Commit(String sha, String message, String author) {
    }

    public record Pusher(Long id, String login) {
    }
}
