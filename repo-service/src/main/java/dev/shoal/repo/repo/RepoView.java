package dev.shoal.repo.repo;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.platform.config.PublicUrl;
import dev.shoal.platform.git.SshUrls;
import java.time.Instant;

/** The public JSON of a repository: the Isurus fields plus default_branch, clone_url (HTTP) and ssh_url. */
public record RepoView(long id, String name, String org, String description,
                       @JsonProperty("is_private") boolean isPrivate,
                       @JsonProperty("created_at") Instant createdAt, @JsonProperty("updated_at") Instant updatedAt,
                       @JsonProperty("default_branch") String defaultBranch, @JsonProperty("clone_url") String cloneUrl,
                       @JsonProperty("ssh_url") String sshUrl) {

    public static RepoView of(Repo repo, PublicUrl publicUrl, SshUrls ssh) {
        return new RepoView(repo.id(), repo.name(), repo.org(), repo.description(), repo.isPrivate(),
                repo.createdAt(), repo.updatedAt(), repo.defaultBranch(), cloneUrl(repo, publicUrl), ssh.of(repo.org(), repo.name()));
    }

    static String cloneUrl(Repo repo, PublicUrl publicUrl) {
        return publicUrl.resolve("/" + repo.org() + "/" + repo.name() + ".git");
    }
}
