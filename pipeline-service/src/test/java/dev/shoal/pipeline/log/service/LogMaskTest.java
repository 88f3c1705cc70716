package dev.shoal.pipeline.log.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogMaskTest {

    private static final String SECRET = "s3cr3t-value";

    @Test
    void aValueSplitAtEveryPossiblePointIsNeverStoredInClear() {
        String log = "before " + SECRET + " after";
        for (int cut = 1; cut < log.length(); cut++) {
            String stored = run(LogMask.of(List.of(SECRET)), log.substring(0, cut), log.substring(cut));
            assertThat(stored).as("cut at %d", cut).isEqualTo("before ******** after");
        }
    }

    @Test
    void theBase64FormsAreMaskedToo() {
        String encoded = Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8));
        String stored = run(LogMask.of(List.of(SECRET)), "auth: " + encoded.substring(0, 5), encoded.substring(5) + "\n");
        assertThat(stored).doesNotContain(encoded.substring(0, 5)).startsWith("auth: ********");
    }

    @Test
    void onlyWhatCouldStillBecomeAValueIsHeldBack() {
        LogMask.Result result = LogMask.of(List.of(SECRET)).apply(new byte[0], "echo s3c".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(result.stored(), StandardCharsets.UTF_8)).isEqualTo("echo ");
        assertThat(new String(result.carry(), StandardCharsets.UTF_8)).isEqualTo("s3c");
        LogMask.Result next = LogMask.of(List.of(SECRET)).apply(result.carry(), "ond\n".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(next.stored(), StandardCharsets.UTF_8)).isEqualTo("s3cond\n");
        assertThat(next.carry()).isEmpty();
    }

    @Test
    void aMultiByteCharacterCutBetweenChunksStaysWhole() {
        byte[] text = "naïve".getBytes(StandardCharsets.UTF_8);
        LogMask mask = LogMask.of(List.of());
        LogMask.Result first = mask.apply(new byte[0], java.util.Arrays.copyOf(text, 3));
        LogMask.Result second = mask.apply(first.carry(), java.util.Arrays.copyOfRange(text, 3, text.length));
        assertThat(new String(first.stored(), StandardCharsets.UTF_8) + new String(second.stored(), StandardCharsets.UTF_8))
                .isEqualTo("naïve");
    }

    @Test
    void shortValuesAreLeftAlone() {
        assertThat(LogMask.of(List.of("ab")).hide("abc ab")).isEqualTo("abc ab");
    }

    private static String run(LogMask mask, String... chunks) {
        StringBuilder stored = new StringBuilder();
        byte[] carry = new byte[0];
        List<byte[]> parts = new ArrayList<>();
        for (String chunk : chunks) {
            parts.add(chunk.getBytes(StandardCharsets.UTF_8));
        }
        for (byte[] part : parts) {
            LogMask.Result result = mask.apply(carry, part);
            stored.append(new String(result.stored(), StandardCharsets.UTF_8));
            carry = result.carry();
        }
        return stored.append(new String(carry, StandardCharsets.UTF_8)).toString();
    }
}
