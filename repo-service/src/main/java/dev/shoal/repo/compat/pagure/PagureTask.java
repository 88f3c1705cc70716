package dev.shoal.repo.compat.pagure;

import java.time.Instant;
import java.util.UUID;

/** A Pagure task ({@code pagure_task}): what {@code wait=false} calls answer the id of. */
public record PagureTask(UUID id, String kind, Long userId, String status, String message, Instant createdAt, Instant finishedAt) {
}
