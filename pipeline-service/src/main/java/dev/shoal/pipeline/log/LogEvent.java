package dev.shoal.pipeline.log;

/**
 * One event of a followed log: text that ends at byte {@code offset} (the SSE id, to resume from),
 * or the end of the log once the step finished.
 */
public record LogEvent(long offset, String text, boolean end) {
}
