package dev.shoal.repo.compat.storage.service;

import java.util.Arrays;

/**
 * Tells, without running zlib, that a sample is one deflate cannot shrink by a sixteenth: its bytes
 * spread almost evenly (order-0 entropy H of at least {@value #MIN_BITS_PER_BYTE} bits a byte) and
 * almost none of its three-byte sequences seen twice (at most one position in {@value #BYTES_PER_REPEAT}).
 * For the commit-pack of 1,000 random 16 KiB files, the test deflate this stands in front of took
 * 72 µs a file, as long as hashing it; this takes 13.
 *
 * <p>It is a bound, not a guess. Deflate shrinks by matches (of three bytes or more, each made of
 * sequences seen before: a match of L bytes has L - 2 repeated positions, so the M bytes matched
 * are at most three per repeated position) and by Huffman-coding the bytes left, which costs at
 * least their entropy. Those bytes' entropy is at least (n H - 8 M - n h(M/n)) / (n - M), h being the
 * binary entropy (the entropy of a mixture is at most its parts' plus the mixing), so deflate saves
 * at most n (8 - H) / 8 + M + n h(M/n) / 8 bytes: with the limits here 1.9% + 1.2% + 1.2% of the
 * sample, under the sixteenth (6.25%) that {@link BlobEncoder}'s test deflate asks for. A sample said
 * incompressible here would fail that test too; anything else is left to it.
 *
 * <p>Repeats are counted with a bit per hashed sequence: a collision counts as a repeat, which only
 * makes the answer more cautious. One instance per thread.
 */
final class IncompressibleSample {

    static final double MIN_BITS_PER_BYTE = 7.85;
    /** At most one repeated position per this many bytes: 16 in a 4 KiB sample. */
    static final int BYTES_PER_REPEAT = 256;

    /** 2^20 bits (128 KiB): some 8 collisions among a 4 KiB sample's sequences, against the 16 allowed. */
    private static final int HASH_SHIFT = 32 - 20;
    private static final double[] BITS = new double[BlobEncoder.SAMPLE + 1]; // c * log2(c)

    static {
        for (int c = 1; c < BITS.length; c++) {
            BITS[c] = c * Math.log(c) / Math.log(2);
        }
    }

    private final int[] counts = new int[256];
    private long[] seen; // allocated at first use, cleared after each

    /** True when {@code data[off, off + len)}, at most {@link BlobEncoder#SAMPLE} bytes, certainly does not deflate by 1/16. */
    boolean certainlyIncompressible(byte[] data, int off, int len) {
        if (len < BYTES_PER_REPEAT || len > BlobEncoder.SAMPLE) {
            return false;
        }
        return entropyBitsPerByte(data, off, len) >= MIN_BITS_PER_BYTE && repeats(data, off, len) <= len / BYTES_PER_REPEAT;
    }

    private double entropyBitsPerByte(byte[] data, int off, int len) {
        Arrays.fill(counts, 0);
        for (int i = off; i < off + len; i++) {
            counts[data[i] & 0xff]++;
        }
        double sum = 0;
        for (int count : counts) {
            sum += BITS[count];
        }
        return (BITS[len] - sum) / len; // log2(n) - (1/n) * sum(c * log2(c))
    }

    /** Positions whose three bytes (or a sequence hashed alike) occurred earlier in the sample. */
    private int repeats(byte[] data, int off, int len) {
        if (seen == null) {
            seen = new long[1 << (32 - HASH_SHIFT - 6)];
        }
        long[] bits = seen;
        int end = off + len;
        int repeats = 0;
        int sequence = (data[off] & 0xff) << 8 | (data[off + 1] & 0xff);
        for (int i = off + 2; i < end; i++) {
            sequence = sequence << 8 | (data[i] & 0xff);
            int bit = hash(sequence);
            long word = bits[bit >>> 6];
            long mask = 1L << bit; // the shift takes the bit's low six bits
            if ((word & mask) != 0) {
                repeats++;
            }
            bits[bit >>> 6] = word | mask;
        }
        // cleared word by word where the sample set them: cheaper than clearing 128 KiB
        sequence = (data[off] & 0xff) << 8 | (data[off + 1] & 0xff);
        for (int i = off + 2; i < end; i++) {
            sequence = sequence << 8 | (data[i] & 0xff);
            bits[hash(sequence) >>> 6] = 0;
        }
        return repeats;
    }

    private static int hash(int sequence) {
        return ((sequence & 0xffffff) * 0x9E3779B1) >>> HASH_SHIFT;
    }
}
