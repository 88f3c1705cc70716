package dev.shoal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class LogShipperTest {

    private static final String TOKEN = "agt_0123456789abcdef";

    @Test
    void aValueSplitAcrossWritesAndFlushesIsStillMasked() {
        List<String> sent = new CopyOnWriteArrayList<>();
        try (LogShipper log = new LogShipper("t", b -> sent.add(new String(b, StandardCharsets.UTF_8)), List.of(TOKEN, "ab"))) {
            log.write("token=agt_0123");
            log.flush(); // the tail could be the token's start: held back
            assertThat(String.join("", sent)).isEqualTo("token=");
            log.write("456789abcdef and ab\nthen agt_");
            log.flush();
            log.write("nothing more\n");
        }
        String all = String.join("", sent);
        // "ab" is shorter than 3 characters: not masked (as on the server); a token-like prefix that never completes is sent.
        assertThat(all).isEqualTo("token=******** and ab\nthen agt_nothing more\n");
        assertThat(sent).noneMatch(part -> part.contains("agt_0123"));
    }

    @Test
    void textWithoutAnyValueStartIsSentAtOnce() {
        List<String> sent = new CopyOnWriteArrayList<>();
        try (LogShipper log = new LogShipper("t", b -> sent.add(new String(b, StandardCharsets.UTF_8)), List.of(TOKEN))) {
            log.write("one\n");
            log.flush();
            assertThat(sent).containsExactly("one\n"); // live output is not delayed
        }
    }

    @Test
    void safeEndStopsBeforeAWholeValueCutByTheBatchLimit() {
        LogShipper log = new LogShipper("t", b -> { }, List.of(TOKEN));
        String text = "xx" + TOKEN + "yy";
        assertThat(log.safeEnd(text, 5)).isEqualTo(2);
        assertThat(log.safeEnd(text, text.length())).isEqualTo(text.length());
        log.close();
    }
}
