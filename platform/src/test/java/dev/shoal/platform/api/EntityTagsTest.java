package dev.shoal.platform.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EntityTagsTest {

    @Test
    void weakAndStrongSpellingsOfOneTagMatch() {
        assertThat(EntityTags.matches("\"abc\"", "\"abc\"")).isTrue();
        assertThat(EntityTags.matches("W/\"abc\"", "\"abc\"")).isTrue();
        assertThat(EntityTags.matches("\"abc\"", "W/\"abc\"")).isTrue();
        assertThat(EntityTags.matches("W/\"abc\"", "W/\"abc\"")).isTrue();
    }

    @Test
    void anyTagOfAListOrAStarMatches() {
        assertThat(EntityTags.matches("\"x\", W/\"abc\" ,\"y\"", "\"abc\"")).isTrue();
        assertThat(EntityTags.matches("*", "\"abc\"")).isTrue();
    }

    @Test
    void otherTagsPrefixesAndAbsentHeadersDoNotMatch() {
        assertThat(EntityTags.matches("\"abcd\"", "\"abc\"")).isFalse();
        assertThat(EntityTags.matches("\"ab\"", "\"abc\"")).isFalse();
        assertThat(EntityTags.matches("abc", "\"abc\"")).isFalse();
        assertThat(EntityTags.matches(null, "\"abc\"")).isFalse();
        assertThat(EntityTags.matches("\"abc\"", null)).isFalse();
    }
}
