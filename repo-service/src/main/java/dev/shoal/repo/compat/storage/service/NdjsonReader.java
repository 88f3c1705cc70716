package dev.shoal.repo.compat.storage.service;

import dev.shoal.platform.error.PayloadTooLargeException;
import dev.shoal.platform.error.ValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Reads an NDJSON body one line at a time without ever holding more than one line (in one buffer,
 * reused from line to line and grown to the longest line read), and refuses a
 * line longer than the limit before reading it all (a client cannot make the service buffer an
 * unbounded line). Counts the bytes read for the ack's {@code pack_bytes}, and stops with a 413 as
 * soon as they pass {@code maxBytes}: the rest of an oversized body is never read.
 */
final class NdjsonReader {

    private final InputStream in;
    private final long maxBytes;
    private final String capName;
    private final byte[] buffer = new byte[65536];
    private byte[] line = new byte[8192];
    private int pos;
    private int end;
    private long total;
    private int lineNumber;

    /** {@code capName}: the configuration key of {@code maxBytes}, named in the refusal. */
    NdjsonReader(InputStream in, long maxBytes, String capName) {
        this.in = in;
        this.maxBytes = maxBytes;
        this.capName = capName;
    }

    /** One line: {@code bytes[0, length)}, valid until the reader's next call. */
    record Line(byte[] bytes, int length) {
    }

    /** The next non-blank line (without its line break), or null at the end of the body. */
    Line next(int maxLength) {
        while (true) {
            int length = readLine(maxLength);
            if (length < 0) {
                return null;
            }
            lineNumber++;
            if (!isBlank(line, length)) {
                return new Line(line, length);
            }
        }
    }

    int lineNumber() {
        return lineNumber;
    }

    long bytesRead() {
        return total;
    }

    /** Reads the next line into {@code line}; answers its length, or -1 at the end of the body. */
    private int readLine(int maxLength) {
        int length = 0;
        try {
            while (true) {
                if (pos == end) {
                    end = in.read(buffer);
                    pos = 0;
                    if (end <= 0) {
                        end = 0;
                        return length == 0 ? -1 : length;
                    }
                    total += end;
                    if (total > maxBytes) {
                        throw new PayloadTooLargeException("the body is larger than " + maxBytes + " bytes, the most this server takes ("
                                + capName + "); split the change into several commits");
                    }
                }
                int start = pos;
                pos = ByteScan.indexOf(buffer, pos, end, (byte) '\n');
                int n = pos - start;
                if (length + n > maxLength) {
                    throw new ValidationException("line " + (lineNumber + 1) + " of the NDJSON body is longer than "
                            + maxLength + " bytes (blob chunks may decode to at most 4 MiB)");
                }
                if (length + n > line.length) {
                    line = Arrays.copyOf(line, Math.min(maxLength, Math.max(line.length * 2, length + n)));
                }
                System.arraycopy(buffer, start, line, length, n);
                length += n;
                if (pos < end) {
                    pos++;
                    return length > 0 && line[length - 1] == '\r' ? length - 1 : length;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isBlank(byte[] line, int length) {
        for (int i = 0; i < length; i++) {
            byte b = line[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
