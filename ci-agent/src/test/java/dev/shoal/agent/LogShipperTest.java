package dev.shoal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
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

    @Test
    void aBatchTheServerCannotTakeIsRetriedUntilItIsTakenAndNothingIsLostOrRepeated() {
        List<String> sent = new CopyOnWriteArrayList<>();
        AtomicInteger refusals = new AtomicInteger(3);
        LogShipper.Sink restarting = b -> {
            if (refusals.getAndDecrement() > 0) {
                throw new IOException("log append failed (503): pipeline-service is restarting");
            }
            sent.add(new String(b, StandardCharsets.UTF_8));
        };
        try (LogShipper log = new LogShipper("t", restarting, List.of(), 10_000)) {
            log.write("first line\n");
            log.flush();
            log.write("second line\n");
        }
        assertThat(String.join("", sent)).isEqualTo("first line\nsecond line\n");
    }

    @Test
    void aStepNoLongerHeldIsGivenUpAtOnceAndReported() {
        AtomicInteger attempts = new AtomicInteger();
        LogShipper log = new LogShipper("t", b -> {
            attempts.incrementAndGet();
            throw new ShoalApi.NotHeldException("log append refused (409): step finished");
        }, List.of(), 10_000);
        log.write("late output\n");
        log.close();
        assertThat(attempts).hasValue(1);
        assertThat(log.failure()).hasMessageContaining("409");
    }

    @Test
    void aServerThatNeverComesBackIsGivenUpAfterTheRetryWindow() {
        LogShipper log = new LogShipper("t", b -> {
            throw new IOException("connection refused");
        }, List.of(), 300);
        log.write("output\n");
        log.close();
        assertThat(log.failure()).hasMessage("connection refused");
    }
}
