package dev.shoal.gateway.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.gateway.access.RepoGrant.Level;
import org.junit.jupiter.api.Test;

/** Grants from several ACL rows (a user's own, their groups', a block) make one: the strongest level, blocked if any blocks. */
class RepoGrantTest {

    @Test
    void theStrongerLevelWinsWhicheverComesFirst() {
        RepoGrant read = new RepoGrant(Level.READ, false);
        RepoGrant admin = new RepoGrant(Level.ADMIN, false);
        assertThat(read.and(admin)).isEqualTo(admin);
        assertThat(admin.and(read)).isEqualTo(admin);
        assertThat(RepoGrant.NONE.and(read)).isEqualTo(read);
        assertThat(read.and(RepoGrant.NONE)).isEqualTo(read);
        assertThat(RepoGrant.NONE.and(RepoGrant.NONE)).isEqualTo(RepoGrant.NONE);
    }

    @Test
    void aBlockIsKeptWhateverIsGranted() {
        RepoGrant blocked = new RepoGrant(null, true);
        assertThat(blocked.and(new RepoGrant(Level.WRITE, false))).isEqualTo(new RepoGrant(Level.WRITE, true));
        assertThat(new RepoGrant(Level.WRITE, false).and(blocked)).isEqualTo(new RepoGrant(Level.WRITE, true));
    }

    @Test
    void eachLevelIncludesTheWeakerOnes() {
        RepoGrant write = new RepoGrant(Level.WRITE, false);
        assertThat(write.atLeast(Level.READ)).isTrue();
        assertThat(write.atLeast(Level.WRITE)).isTrue();
        assertThat(write.atLeast(Level.ADMIN)).isFalse();
        assertThat(RepoGrant.NONE.atLeast(Level.READ)).isFalse();
    }
}
