package dev.shoal.pipeline.compat.woodpecker.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.platform.error.ValidationException;
import org.junit.jupiter.api.Test;

/** The parts of the pprof answers that need no server: secret options hidden, the seconds bound. */
class WoodpeckerDebugServiceTest {

    @Test
    void secretLookingOptionsAreHiddenOnTheCommandLine() {
        assertThat(WoodpeckerDebugService.hide("-Dshoal.pipeline.secret-key=q4lq")).isEqualTo("-Dshoal.pipeline.secret-key=********");
        assertThat(WoodpeckerDebugService.hide("-Dquarkus.datasource.password=pw")).isEqualTo("-Dquarkus.datasource.password=********");
        assertThat(WoodpeckerDebugService.hide("-DSHOAL_AGENT_TOKEN=t")).isEqualTo("-DSHOAL_AGENT_TOKEN=********");
        assertThat(WoodpeckerDebugService.hide("-Xmx512m")).isEqualTo("-Xmx512m");
        assertThat(WoodpeckerDebugService.hide("-Dquarkus.http.port=8083")).isEqualTo("-Dquarkus.http.port=8083");
        assertThat(WoodpeckerDebugService.commandLine()).isNotEmpty().noneMatch(a -> a.matches("(?i).*secret[^=]*=[^*].*"));
    }

    @Test
    void secondsAreBounded() {
        assertThat(WoodpeckerDebugService.parseSeconds(null)).isEqualTo(10);
        assertThat(WoodpeckerDebugService.parseSeconds("60")).isEqualTo(60);
        for (String bad : new String[] {"0", "61", "-1", "1.5", "ten", "99999999999"}) {
            assertThatThrownBy(() -> WoodpeckerDebugService.parseSeconds(bad)).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("1 to 60");
        }
    }
}
