package dev.shoal.repo.compat.storage.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The word-at-a-time scans against a plain byte loop, on arrays built to trip them: matches at
 * every offset within a word and in the tail, bytes above 0x7f (negative in Java), and the byte
 * values that make the zero-byte trick flag a false match above a real one (0x00 followed by 0x01
 * after the XOR).
 */
class ByteScanTest {

    private static final byte[] ALPHABET = {'\n', '"', '\\', 'A', '/', '=', 0, 1, (byte) 0x80, (byte) 0xff, '\n' ^ 1, '"' + 1};

    private static int naive(byte[] bytes, int from, int to, byte a, byte b) {
        int i = from;
        while (i < to && bytes[i] != a && bytes[i] != b) {
            i++;
        }
        return i;
    }

    @Test
    void findsWhatAByteLoopFinds() {
        Random random = new Random(19);
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[random.nextInt(40)];
            int rare = random.nextInt(8) + 1; // sometimes the wanted bytes are rare, so the scan runs over several words
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = random.nextInt(rare) == 0 ? ALPHABET[random.nextInt(ALPHABET.length)] : (byte) ('a' + random.nextInt(26));
            }
            int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);
            int to = from + random.nextInt(bytes.length - from + 1);
            byte a = ALPHABET[random.nextInt(ALPHABET.length)];
            byte b = ALPHABET[random.nextInt(ALPHABET.length)];
            assertThat(ByteScan.indexOf(bytes, from, to, a)).as("indexOf %s in [%d, %d)", a, from, to)
                    .isEqualTo(naive(bytes, from, to, a, a));
            assertThat(ByteScan.indexOfEither(bytes, from, to, a, b)).as("indexOfEither %s %s in [%d, %d)", a, b, from, to)
                    .isEqualTo(naive(bytes, from, to, a, b));
        }
    }

    @Test
    void answersTheEndWhenNothingMatchesAndNeverReadsPastIt() {
        byte[] bytes = "aaaaaaaaaaaaaaaaaaa\n".getBytes();
        assertThat(ByteScan.indexOf(bytes, 0, 19, (byte) '\n')).as("the line break just past the range").isEqualTo(19);
        assertThat(ByteScan.indexOf(bytes, 3, 20, (byte) '\n')).isEqualTo(19);
        assertThat(ByteScan.indexOfEither(bytes, 5, 5, (byte) 'a', (byte) '\n')).as("an empty range").isEqualTo(5);
    }
}
