package dev.shoal.pipeline.compat.woodpecker;

import dev.shoal.pipeline.pipeline.PipelineRow;
import dev.shoal.pipeline.repo.Repo;

/** A pipeline with the repository it belongs to (a placeholder when the repository is unknown or deleted). */
public record RepoPipeline(Repo repo, PipelineRow pipeline) {
}
