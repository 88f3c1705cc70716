package dev.shoal.repo.compat.pagure;

import java.util.List;

/** Filters of Pagure's project search; null fields do not filter. Patterns are SQL LIKE, escaped by the caller. */
public record ProjectSearch(String namespace, String namePattern, String owner, String notOwner, Boolean fork, List<String> tags,
                            String username, String group, List<String> groupLevels) {
}
