package dev.shoal.repo.compat.storage.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/**
 * The shortcut must never store what zlib could shrink: every sample it calls incompressible is
 * deflated here at the fastest and the best level and must save less than 1/16, over samples built
 * to sit near its bounds (fewer byte values, planted repeats). And it must catch what it is for:
 * random bytes, again and again on one instance (its bits are reused across samples).
 */
class IncompressibleSampleTest {

    private final IncompressibleSample sample = new IncompressibleSample();

    private static int deflated(byte[] data, int level) {
        Deflater zlib = new Deflater(level);
        zlib.setInput(data);
        zlib.finish();
        byte[] out = new byte[data.length * 2 + 64];
        int n = zlib.deflate(out);
        zlib.end();
        return n;
    }

    @Test
    void randomBytesAreIncompressibleAlmostEveryTime() {
        Random random = new Random(3);
        byte[] data = new byte[BlobEncoder.SAMPLE];
        int incompressible = 0;
        for (int i = 0; i < 1000; i++) { // one instance: what a sample marks must be gone for the next
            random.nextBytes(data);
            if (sample.certainlyIncompressible(data, 0, data.length)) {
                incompressible++;
            }
        }
        // a hash collision counts as a repeat: now and then a random sample goes to the test deflate
        assertThat(incompressible).isGreaterThanOrEqualTo(990);
    }

    @Test
    void textFewByteValuesAndRepeatsAreLeftToZlib() {
        byte[] text = "public final class Example { int answer() { return 42; } }\n".repeat(80).getBytes(StandardCharsets.UTF_8);
        assertThat(sample.certainlyIncompressible(text, 0, BlobEncoder.SAMPLE)).as("source code").isFalse();

        byte[] half = new byte[BlobEncoder.SAMPLE];
        new Random(4).nextBytes(half);
        System.arraycopy(half, 0, half, 2048, 2048);
        assertThat(sample.certainlyIncompressible(half, 0, half.length)).as("random bytes, then the same again").isFalse();

        byte[] sevenBits = new byte[BlobEncoder.SAMPLE];
        new Random(5).nextBytes(sevenBits);
        for (int i = 0; i < sevenBits.length; i++) {
            sevenBits[i] &= 0x7f;
        }
        assertThat(sample.certainlyIncompressible(sevenBits, 0, sevenBits.length)).as("random ASCII: 7 bits a byte").isFalse();

        byte[] tooShort = new byte[200];
        new Random(6).nextBytes(tooShort);
        assertThat(sample.certainlyIncompressible(tooShort, 0, tooShort.length)).as("too short to judge").isFalse();
    }

    @Test
    void neverCallsIncompressibleWhatZlibShrinksByASixteenth() {
        Random random = new Random(11);
        int judgedIncompressible = 0;
        for (int round = 0; round < 3000; round++) {
            int length = 256 + random.nextInt(BlobEncoder.SAMPLE - 255);
            byte[] data = new byte[length];
            int values = 200 + random.nextInt(57); // 200-256 distinct byte values: entropy around the bound
            for (int i = 0; i < length; i++) {
                data[i] = (byte) random.nextInt(values);
            }
            for (int planted = random.nextInt(12); planted > 0 && length > 16; planted--) { // repeats around the bound
                int run = 3 + random.nextInt(6);
                int from = random.nextInt(length - run);
                int to = random.nextInt(length - run);
                System.arraycopy(data, from, data, to, run);
            }
            if (sample.certainlyIncompressible(data, 0, length)) {
                judgedIncompressible++;
                int limit = length - length / 16;
                assertThat(deflated(data, Deflater.BEST_SPEED)).as("round %d, %d bytes, fastest level", round, length).isGreaterThan(limit);
                assertThat(deflated(data, Deflater.BEST_COMPRESSION)).as("round %d, %d bytes, best level", round, length).isGreaterThan(limit);
            }
        }
        assertThat(judgedIncompressible).as("the rounds exercised the shortcut").isGreaterThan(100);
    }

    @Test
    void anOffsetSampleIsReadWhereItIs() {
        byte[] data = new byte[BlobEncoder.SAMPLE + 100];
        Arrays.fill(data, (byte) 'a');
        byte[] random = new byte[BlobEncoder.SAMPLE];
        new Random(6).nextBytes(random);
        System.arraycopy(random, 0, data, 100, random.length);
        assertThat(sample.certainlyIncompressible(data, 100, BlobEncoder.SAMPLE)).isTrue();
        assertThat(sample.certainlyIncompressible(data, 0, BlobEncoder.SAMPLE)).as("with 100 bytes of 'a' in front").isFalse();
    }
}
