package dev.shoal.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CsrfTest {

    @Test
    void aTokenIsValidForItsOwnSessionOnly() {
        Csrf csrf = new Csrf(Optional.empty());
        String mine = csrf.tokenFor("shoal_pat_one");
        assertThat(csrf.valid("shoal_pat_one", mine)).isTrue();
        assertThat(csrf.valid("shoal_pat_two", mine)).isFalse();
        assertThat(csrf.valid("shoal_pat_one", null)).isFalse();
        assertThat(csrf.valid("shoal_pat_one", mine + "x")).isFalse();
        assertThat(csrf.valid(null, mine)).isFalse();
        // another process's key (a restarted or foreign web-ui) does not accept it
        assertThat(new Csrf(Optional.empty()).valid("shoal_pat_one", mine)).isFalse();
        assertThat(mine).doesNotContain("shoal_pat_one");
    }
}
