package dev.shoal.pipeline.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.pipeline.pipeline.service.AuthorAvatars;
import dev.shoal.platform.event.schema.RepoPushed;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a push says about its head commit becomes the pipeline's commit facts; avatars follow the setting. */
class PushTriggerFactsTest {

    private static final String SHA = "a".repeat(40);
    private static final RepoPushed.Pusher PUSHER = new RepoPushed.Pusher(3L, "lin");

    @Test
    void theHeadCommitWinsAndOlderProducersAreSplit() {
        Instant at = Instant.parse("2025-01-02T03:04:05Z");
        RepoPushed.Commit head = new RepoPushed.Commit(SHA, "Fix it", "X <x@example.com>", "Xena", "xena@example.com", at);
        Trigger trigger = PushTrigger.of(new RepoPushed("refs/heads/main", PushTrigger.ZEROS, SHA, List.of(), PUSHER, head),
                null, null).orElseThrow();
        assertThat(trigger.commitFacts()).isEqualTo(new CommitFacts("Fix it", "Xena", "xena@example.com", at));
        assertThat(trigger.username()).isEqualTo("lin");

        RepoPushed older = new RepoPushed("refs/tags/v1", PushTrigger.ZEROS, SHA,
                List.of(new RepoPushed.Commit(SHA, "Tag it", "Ada Lovelace <ada@example.com>")), PUSHER);
        Trigger tag = PushTrigger.of(older, null, null).orElseThrow();
        assertThat(tag.event()).isEqualTo("tag");
        assertThat(tag.commitFacts()).isEqualTo(new CommitFacts("Tag it", "Ada Lovelace", "ada@example.com", null));

        RepoPushed unknown = new RepoPushed("refs/heads/main", PushTrigger.ZEROS, SHA, List.of(), PUSHER);
        assertThat(PushTrigger.of(unknown, null, null).orElseThrow().commitFacts()).isEqualTo(CommitFacts.NONE);
        assertThat(PushTrigger.of(new RepoPushed("refs/heads/main", SHA, PushTrigger.ZEROS, List.of(), PUSHER), null, null))
                .isEmpty();
        assertThat(PushTrigger.of(new RepoPushed("refs/notes/x", PushTrigger.ZEROS, SHA, List.of(), PUSHER), null, null))
                .isEmpty();
    }

    @Test
    void longOrHostileValuesAreCut() {
        CommitFacts facts = new CommitFacts("m\0".repeat(70_000), "n".repeat(2_000), "e@x", null);
        assertThat(facts.message()).hasSize(CommitFacts.MAX_MESSAGE).doesNotContain("\0");
        assertThat(facts.authorName()).hasSize(512);
    }

    @Test
    void avatarsAreTheEmailsSha256OrNothing() throws Exception {
        AuthorAvatars on = new AuthorAvatars(true, "https://avatars.example.com/avatar");
        // The SHA-256 of the email trimmed and lower-cased, as Gravatar and Libravatar look it up.
        String hash = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest("ada@example.com".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(on.url("  Ada@Example.com ")).isEqualTo("https://avatars.example.com/avatar/" + hash + "?d=identicon");
        assertThat(on.url("")).isEmpty();
        assertThat(on.url(null)).isEmpty();
        assertThat(new AuthorAvatars(false, "https://www.gravatar.com/avatar/").url("ada@example.com")).isEmpty();
    }
}
