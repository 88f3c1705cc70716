package dev.shoal.platform.api;

import java.util.List;

/** The list envelope of the Isurus API: {@code {"data": [...], "pagination": {...}}}. */
public record PageResponse<T>(List<T> data, Pagination pagination) {

    public static <T> PageResponse<T> of(List<T> items, PageRequest page, long total) {
        return new PageResponse<>(items, new Pagination(page.page(), page.perPage(), total));
    }
}
