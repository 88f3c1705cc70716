package dev.shoal.platform.event.schema;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * {@code repo.access_changed}: the whole per-project access list after a change (Pagure ACLs,
 * the main admin, a fork's owner, blocked users), so a consumer replaces its copy instead of
 * replaying deltas. {@code users}: login → ticket|commit|admin; {@code groups}: organization name →
 * ticket|commit|admin; {@code blocked}: logins refused any write on the repository.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RepoAccessChanged(@JsonProperty("repo_id") long repoId, Map<String, String> users, Map<String, String> groups,
                                List<String> blocked) {
}
