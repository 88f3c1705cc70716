package dev.shoal.pipeline.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CronScheduleTest {

    private static final Instant T = Instant.parse("2025-01-20T14:30:05Z");

    @Test
    void macrosEveryAndFields() {
        assertThat(CronSchedule.parse("@hourly").next(T)).isEqualTo("2025-01-20T15:00:00Z");
        assertThat(CronSchedule.parse("@daily").next(T)).isEqualTo("2025-01-21T00:00:00Z");
        assertThat(CronSchedule.parse("@every 10m").next(T)).isEqualTo("2025-01-20T14:40:05Z");
        assertThat(CronSchedule.parse("@every 1h30m").next(T)).isEqualTo("2025-01-20T16:00:05Z");
        assertThat(CronSchedule.parse("*/15 * * * *").next(T)).isEqualTo("2025-01-20T14:45:00Z");
        assertThat(CronSchedule.parse("0 9 * * 1-5").next(T)).isEqualTo("2025-01-21T09:00:00Z");
        assertThat(CronSchedule.parse("0 0 29 2 *").next(T)).isEqualTo("2028-02-29T00:00:00Z");
        assertThat(CronSchedule.parse("30 14 20 1 *").next(T)).isEqualTo("2026-01-20T14:30:00Z");
        assertThat(CronSchedule.parse("0 12 * * 0").next(T)).isEqualTo("2025-01-26T12:00:00Z");
        assertThat(CronSchedule.parse("0 12 * * 7").next(T)).isEqualTo("2025-01-26T12:00:00Z");
    }

    @Test
    void refusals() {
        assertThatThrownBy(() -> CronSchedule.parse("* * *")).hasMessageContaining("five fields");
        assertThatThrownBy(() -> CronSchedule.parse("60 * * * *")).hasMessageContaining("minute");
        assertThatThrownBy(() -> CronSchedule.parse("@every 5s")).hasMessageContaining("1m");
        assertThatThrownBy(() -> CronSchedule.parse("@every soon")).hasMessageContaining("interval");
        assertThatThrownBy(() -> CronSchedule.parse("@sometimes")).hasMessageContaining("unknown schedule");
        assertThatThrownBy(() -> CronSchedule.parse("0 0 31 2 *").next(T)).hasMessageContaining("never runs");
    }
}
