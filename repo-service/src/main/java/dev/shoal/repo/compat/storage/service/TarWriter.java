package dev.shoal.repo.compat.storage.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A streaming POSIX tar (pax) writer: ustar headers, with a pax extended header in front of an
 * entry whose name, link target or size does not fit ustar's fields (as {@code git archive}
 * writes them). Entries are written as they come; nothing is buffered beyond one header.
 */
final class TarWriter implements AutoCloseable {

    private static final int BLOCK = 512;
    private static final long MAX_USTAR_SIZE = 077777777777L;

    private final OutputStream out;
    private final long mtime;

    TarWriter(OutputStream out, long mtimeSeconds) {
        this.out = out;
        this.mtime = mtimeSeconds;
    }

    /** A pax global header (type {@code g}); git archive puts the commit id there as {@code comment}. */
    void globalComment(String comment) throws IOException {
        byte[] data = pax(Map.of("comment", comment));
        header("pax_global_header", 0644, data.length, (byte) 'g', "");
        out.write(data);
        pad(data.length);
    }

    void file(String name, int mode, long size, InputStream content) throws IOException {
        entry(name, mode, size, (byte) '0', "");
        long copied = content.transferTo(out);
        if (copied != size) {
            throw new IOException("blob " + name + " changed size while archiving");
        }
        pad(size);
    }

    void symlink(String name, String target) throws IOException {
        entry(name, 0777, 0, (byte) '2', target);
    }

    /** The end of the archive: two zero blocks. Does not close the underlying stream. */
    @Override
    public void close() throws IOException {
        out.write(new byte[BLOCK * 2]);
        out.flush();
    }

    private void entry(String name, int mode, long size, byte type, String link) throws IOException {
        Map<String, String> extended = new LinkedHashMap<>();
        if (!fits(name, 100)) {
            extended.put("path", name);
        }
        if (!fits(link, 100)) {
            extended.put("linkpath", link);
        }
        if (size > MAX_USTAR_SIZE) {
            extended.put("size", Long.toString(size));
        }
        if (!extended.isEmpty()) {
            byte[] data = pax(extended);
            header("PaxHeaders/" + truncate(name, 80), 0644, data.length, (byte) 'x', "");
            out.write(data);
            pad(data.length);
        }
        header(truncate(name, 100), mode, size > MAX_USTAR_SIZE ? 0 : size, type, truncate(link, 100));
    }

    private void header(String name, int mode, long size, byte type, String link) throws IOException {
        byte[] h = new byte[BLOCK];
        put(h, 0, 100, name.getBytes(StandardCharsets.UTF_8));
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtime);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        h[156] = type;
        put(h, 157, 100, link.getBytes(StandardCharsets.UTF_8));
        put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        put(h, 265, 32, "root".getBytes(StandardCharsets.US_ASCII));
        put(h, 297, 32, "root".getBytes(StandardCharsets.US_ASCII));
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        byte[] check = String.format("%06o", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(check, 0, h, 148, 6);
        h[154] = 0;
        h[155] = ' ';
        out.write(h);
    }

    /** pax records: "<length> <key>=<value>\n", the length counting itself. */
    private static byte[] pax(Map<String, String> records) {
        StringBuilder all = new StringBuilder();
        for (Map.Entry<String, String> r : records.entrySet()) {
            int body = (" " + r.getKey() + "=" + r.getValue() + "\n").getBytes(StandardCharsets.UTF_8).length;
            int length = body + Integer.toString(body).length();
            if (Integer.toString(length).length() != Integer.toString(body).length()) {
                length = body + Integer.toString(length).length();
            }
            all.append(length).append(' ').append(r.getKey()).append('=').append(r.getValue()).append('\n');
        }
        return all.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static boolean fits(String s, int max) {
        return s.getBytes(StandardCharsets.UTF_8).length <= max;
    }

    /** At most {@code max} bytes of UTF-8, never cutting a character in two. */
    private static String truncate(String s, int max) {
        if (fits(s, max)) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        int used = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (used + n > max) {
                break;
            }
            b.appendCodePoint(cp);
            used += n;
            i += Character.charCount(cp);
        }
        return b.toString();
    }

    private static void put(byte[] h, int at, int len, byte[] value) {
        System.arraycopy(value, 0, h, at, Math.min(len, value.length));
    }

    private static void octal(byte[] h, int at, int len, long value) {
        byte[] digits = String.format("%0" + (len - 1) + "o", value).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(digits, 0, h, at, len - 1);
        h[at + len - 1] = 0;
    }

    private void pad(long size) throws IOException {
        int rest = (int) (size % BLOCK);
        if (rest != 0) {
            out.write(new byte[BLOCK - rest]);
        }
    }
}
