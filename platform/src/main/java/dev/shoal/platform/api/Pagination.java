package dev.shoal.platform.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The pagination block of a list answer: where the page is and how many items exist in all. */
public record Pagination(int page, @JsonProperty("per_page") int perPage, long total) {
}
