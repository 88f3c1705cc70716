package dev.shoal.pipeline.compat.woodpecker.rest;

import dev.shoal.pipeline.compat.woodpecker.rest.WoodpeckerViews.LogEntryView;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Cuts a step's log, stored in chunks of any size, into Woodpecker's log entries: one per line,
 * numbered from 0, {@code data} base64 (Go's []byte in JSON), {@code time} seconds since the step
 * started. A line split across chunks is held until its end arrives.
 */
final class LogLines {

    private final long stepId;
    private final long startedAt;
    private final StringBuilder partial = new StringBuilder();
    private int line;
    private long lastTime;

    LogLines(long stepId, long startedAtEpochSecond) {
        this.stepId = stepId;
        this.startedAt = startedAtEpochSecond;
    }

    List<LogEntryView> accept(String text, long epochSecond) {
        lastTime = startedAt == 0 ? 0 : Math.max(0, epochSecond - startedAt);
        List<LogEntryView> out = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                partial.append(text, from, i);
                out.add(entry(partial.toString()));
                partial.setLength(0);
                from = i + 1;
            }
        }
        partial.append(text, from, text.length());
        return out;
    }

    /** The last line if it had no newline; empty otherwise. */
    List<LogEntryView> finish() {
        if (partial.isEmpty()) {
            return List.of();
        }
        LogEntryView last = entry(partial.toString());
        partial.setLength(0);
        return List.of(last);
    }

    private LogEntryView entry(String text) {
        int number = line++;
        return new LogEntryView(stepId * 1_000_000L + number, stepId, lastTime, number,
                Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)), 0);
    }
}
