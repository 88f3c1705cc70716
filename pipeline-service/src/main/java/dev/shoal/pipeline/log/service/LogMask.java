package dev.shoal.pipeline.log.service;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Hides secret values in step logs that arrive in chunks. A value may be split across two appends,
 * so the end of each chunk that could still grow into a value (and any incomplete UTF-8 sequence)
 * is held back and carried into the next append instead of being stored in clear; the carry is
 * flushed as it is once the step can append no more. Each value is also hidden in its base64
 * forms, since steps print encoded credentials (Docker configs, Basic headers).
 */
public final class LogMask {

    public static final String MASK = "********";
    /** Shorter values would mask ordinary words. */
    private static final int MIN_LENGTH = 3;

    private final List<String> forms;

    private LogMask(List<String> forms) {
        this.forms = forms;
    }

    /** A mask for these secret values, in plain and base64 forms, longest first. */
    public static LogMask of(List<String> values) {
        Set<String> all = new LinkedHashSet<>();
        for (String value : values) {
            if (value == null || value.length() < MIN_LENGTH) {
                continue;
            }
            all.add(value);
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            // Without padding: the padded form starts with it, and its '=' reveal nothing.
            all.add(Base64.getEncoder().withoutPadding().encodeToString(bytes));
            all.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        }
        List<String> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        return new LogMask(sorted);
    }

    /** What an append stores now, and what it holds back for the next one (empty when nothing could continue). */
    public record Result(byte[] stored, byte[] carry) {
    }

    /** Masks {@code carry + chunk}: every complete value is replaced, a possible start of one is held back. */
    public Result apply(byte[] carry, byte[] chunk) {
        byte[] bytes = concat(carry, chunk);
        int complete = completeUtf8Length(bytes);
        String text = hide(new String(bytes, 0, complete, StandardCharsets.UTF_8));
        int hold = heldBack(text);
        byte[] stored = text.substring(0, text.length() - hold).getBytes(StandardCharsets.UTF_8);
        byte[] held = concat(text.substring(text.length() - hold).getBytes(StandardCharsets.UTF_8),
                Arrays.copyOfRange(bytes, complete, bytes.length));
        return new Result(stored, held);
    }

    /** Replaces every complete value in {@code text}. */
    public String hide(String text) {
        String result = text;
        for (String form : forms) {
            result = result.replace(form, MASK);
        }
        return result;
    }

    /** The length of the longest end of {@code text} that is the start of some value, but not all of it. */
    private int heldBack(String text) {
        int longest = 0;
        for (String form : forms) {
            for (int i = Math.max(0, text.length() - form.length() + 1); i < text.length() - longest; i++) {
                if (text.charAt(i) == form.charAt(0) && text.regionMatches(i, form, 0, text.length() - i)) {
                    longest = text.length() - i;
                    break;
                }
            }
        }
        return longest;
    }

    /** How many leading bytes form whole UTF-8 sequences; a sequence cut at the end waits for its rest. */
    static int completeUtf8Length(byte[] bytes) {
        int end = bytes.length;
        for (int back = 1; back <= Math.min(3, end); back++) {
            int b = bytes[end - back] & 0xFF;
            if ((b & 0xC0) == 0x80) {
                continue;
            }
            int needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return needed > back ? end - back : end;
        }
        return end;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        if (a == null || a.length == 0) {
            return b;
        }
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
