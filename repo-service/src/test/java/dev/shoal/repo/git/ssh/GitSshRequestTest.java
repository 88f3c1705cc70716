package dev.shoal.repo.git.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GitSshRequestTest {

    @Test
    void gitsOwnSpellingsAreAccepted() {
        assertThat(GitSshRequest.parse("git-upload-pack 'acme/app.git'")).isEqualTo(new GitSshRequest("git-upload-pack", "acme", "app"));
        assertThat(GitSshRequest.parse("git-receive-pack '/acme/app.git'")).isEqualTo(new GitSshRequest("git-receive-pack", "acme", "app"));
        assertThat(GitSshRequest.parse("git upload-pack 'acme/app'")).isEqualTo(new GitSshRequest("git-upload-pack", "acme", "app"));
        assertThat(GitSshRequest.parse("git-upload-pack acme/my.app.git").repo()).isEqualTo("my.app");
    }

    @Test
    void everythingElseIsRefusedWithAReason() {
        String[][] cases = {
                {"", "no shell"}, {"sh -c id", "'sh' is not allowed"}, {"git-upload-archive 'a/b.git'", "is not allowed"},
                {"git-upload-pack '../a/b.git'", "not a repository path"}, {"git-upload-pack 'a/../b.git'", "not a repository path"},
                {"git-upload-pack '/srv/a/b.git'", "not a repository path"}, {"git-upload-pack '~root/b.git'", "home-directory"},
                {"git-upload-pack 'a/b.git.git'", "not a repository path"}, {"git-upload-pack 'a/.b.git'", "not a repository path"},
                {"git-upload-pack 'a//b.git'", "not a repository path"}, {"git-upload-pack 'a/b.git'; id", "not a repository path"},
                {"git-upload-pack 'a/b\n.git'", "control characters"}, {"git-upload-pack", "not a repository path"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> GitSshRequest.parse(c[0])).as(c[0]).isInstanceOf(GitSshRequest.Refused.class)
                    .hasMessageContaining(c[1]);
        }
    }
}
