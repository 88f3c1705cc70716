package dev.shoal.pipeline.pipeline;

import java.time.Instant;

/**
 * Which pipelines of a repository a list shows; null fields do not filter.
 *
 * @param before only pipelines created before this instant
 * @param after  only pipelines created after this instant
 */
public record PipelineFilter(String status, String branch, String event, String ref, Instant before, Instant after) {

    public static final PipelineFilter NONE = new PipelineFilter(null, null, null, null, null, null);

    public static PipelineFilter status(String status) {
        return new PipelineFilter(status, null, null, null, null, null);
    }
}
