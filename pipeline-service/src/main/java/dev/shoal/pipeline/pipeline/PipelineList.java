package dev.shoal.pipeline.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The Isurus pipeline list: its own shape, not the common envelope. */
public record PipelineList(long total, int page, @JsonProperty("per_page") int perPage, List<Pipeline> pipelines) {
}
