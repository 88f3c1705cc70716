package dev.shoal.pipeline.pipeline;

import dev.shoal.platform.event.schema.RepoPushed;
import java.util.Optional;

/** What a {@code repo.pushed} starts: a branch push is event {@code push}, a tag {@code tag}; deletions and other refs nothing. */
public final class PushTrigger {

    public static final String ZEROS = "0000000000000000000000000000000000000000";

    private PushTrigger() {
    }

    /**
     * The trigger of {@code push}, by the pusher it names (else the given actor), with the head
     * commit's message, author and time; empty when the push starts no pipeline.
     */
    public static Optional<Trigger> of(RepoPushed push, Long actorId, String actorLogin) {
        if (push.after() == null || push.after().equals(ZEROS) || push.ref() == null) {
            return Optional.empty();
        }
        String kind;
        String name;
        if (push.ref().startsWith("refs/heads/")) {
            kind = "push";
            name = push.ref().substring("refs/heads/".length());
        } else if (push.ref().startsWith("refs/tags/")) {
            kind = "tag";
            name = push.ref().substring("refs/tags/".length());
        } else {
            return Optional.empty();
        }
        Long userId = push.pusher() != null ? push.pusher().id() : actorId;
        String login = push.pusher() != null ? push.pusher().login() : actorLogin;
        return Optional.of(new Trigger(kind, name, push.ref(), push.after(), userId, login, false)
                .withCommitFacts(facts(push)));
    }

    /** The head commit's facts: {@code head_commit}, else the pushed commit whose sha is {@code after}. */
    static CommitFacts facts(RepoPushed push) {
        RepoPushed.Commit head = push.headCommit();
        if (head == null && push.commits() != null) {
            head = push.commits().stream().filter(c -> push.after().equals(c.sha())).findFirst().orElse(null);
        }
        return head == null ? CommitFacts.NONE : facts(head);
    }

    /** A commit's facts, as a push event or repo-service describes it. */
    public static CommitFacts facts(RepoPushed.Commit head) {
        String name = head.authorName();
        String email = head.authorEmail();
        if (name == null && head.author() != null) {
            // Older producers send only "Name <email>".
            String author = head.author();
            int lt = author.lastIndexOf('<');
            int gt = author.lastIndexOf('>');
            name = lt > 0 ? author.substring(0, lt).strip() : author.strip();
            email = email == null && lt >= 0 && gt > lt ? author.substring(lt + 1, gt).strip() : email;
        }
        return new CommitFacts(head.message(), name, email, head.timestamp());
    }
}
