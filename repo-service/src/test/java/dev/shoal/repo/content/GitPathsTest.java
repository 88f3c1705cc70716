package dev.shoal.repo.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.platform.error.ValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GitPathsTest {

    @ParameterizedTest
    @ValueSource(strings = {"..", "../etc/passwd", "a/../b", "a/./b", "/etc/passwd", "a\\b", "a\0b", "a//b", "./a"})
    void refusesTraversalAndOddPaths(String path) {
        assertThatThrownBy(() -> GitPaths.normalize(path)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("must not contain '..'");
    }

    @Test
    void acceptsPlainRelativePaths() {
        assertThat(GitPaths.normalize("src/main/App.java")).isEqualTo("src/main/App.java");
        assertThat(GitPaths.normalize("docs/")).isEqualTo("docs");
        assertThat(GitPaths.normalize("")).isEmpty();
        assertThat(GitPaths.normalize(".github/workflows")).isEqualTo(".github/workflows");
        assertThatThrownBy(() -> GitPaths.requireFile("")).isInstanceOf(ValidationException.class);
    }
}
