package dev.shoal.repo.compat.storage.service;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds a byte in an array eight bytes at a time: each step reads a {@code long} and tests all its
 * bytes with a few arithmetic operations (the "has a zero byte" trick), instead of one compare and
 * branch per byte. A commit-pack body is base64 lines of some 22 KB each, scanned for their line
 * break and for the end of their {@code data} string: as plain byte loops those two scans were a sixth
 * of repo-service's samples in the commit-pack profile (see {@code deploy/bench/README.md}).
 */
final class ByteScan {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private ByteScan() {
    }

    /** The index of the first {@code b} in {@code bytes[from, to)}, or {@code to} when there is none. */
    static int indexOf(byte[] bytes, int from, int to, byte b) {
        return indexOfEither(bytes, from, to, b, b);
    }

    /** The index of the first {@code a} or {@code b} in {@code bytes[from, to)}, or {@code to} when there is neither. */
    static int indexOfEither(byte[] bytes, int from, int to, byte a, byte b) {
        long patternA = ONES * (a & 0xff);
        long patternB = ONES * (b & 0xff);
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long word = (long) LONGS.get(bytes, i);
            long matches = zeroBytes(word ^ patternA) | zeroBytes(word ^ patternB);
            if (matches != 0) {
                return i + (Long.numberOfTrailingZeros(matches) >>> 3);
            }
        }
        while (i < to && bytes[i] != a && bytes[i] != b) {
            i++;
        }
        return i;
    }

    /**
     * The high bit of each byte of {@code word} that may be zero. The lowest one set is always a zero
     * byte (a borrow only flags bytes above a real zero), and bytes are read little-endian, so the
     * lowest flag is the first match in the array.
     */
    private static long zeroBytes(long word) {
        return (word - ONES) & ~word & HIGHS;
    }
}
