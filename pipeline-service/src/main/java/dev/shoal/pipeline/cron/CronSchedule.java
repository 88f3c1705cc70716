package dev.shoal.pipeline.cron;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;

/**
 * A schedule: {@code @hourly}, {@code @daily}, {@code @weekly}, {@code @monthly}, {@code @yearly},
 * {@code @every 10m} (s, m, h units, at least one minute) or five cron fields (minute hour
 * day-of-month month day-of-week; {@code *}, lists, ranges, steps), evaluated in UTC.
 */
public final class CronSchedule {

    private final String text;
    private final Duration every;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet days;
    private final BitSet months;
    private final BitSet weekdays;
    private final boolean anyDay;
    private final boolean anyWeekday;

    private CronSchedule(String text, Duration every, BitSet minutes, BitSet hours, BitSet days, BitSet months,
                         BitSet weekdays, boolean anyDay, boolean anyWeekday) {
        this.text = text;
        this.every = every;
        this.minutes = minutes;
        this.hours = hours;
        this.days = days;
        this.months = months;
        this.weekdays = weekdays;
        this.anyDay = anyDay;
        this.anyWeekday = anyWeekday;
    }

    public String text() {
        return text;
    }

    /** Parses a schedule; the message of the IllegalArgumentException says what is wrong. */
    public static CronSchedule parse(String raw) {
        if (raw == null || raw.isBlank() || raw.length() > 100) {
            throw new IllegalArgumentException("schedule is required (1-100 characters)");
        }
        String text = raw.trim().replaceAll("\\s+", " ");
        String lower = text.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "@hourly": return parse5(text, "0 * * * *");
            case "@daily", "@midnight": return parse5(text, "0 0 * * *");
            case "@weekly": return parse5(text, "0 0 * * 0");
            case "@monthly": return parse5(text, "0 0 1 * *");
            case "@yearly", "@annually": return parse5(text, "0 0 1 1 *");
            default: break;
        }
        if (lower.startsWith("@every ")) {
            Duration d = duration(lower.substring(7).trim());
            if (d.compareTo(Duration.ofMinutes(1)) < 0 || d.compareTo(Duration.ofDays(366)) > 0) {
                throw new IllegalArgumentException("@every needs an interval from 1m to 366 days, such as '@every 10m'");
            }
            return new CronSchedule(text, d, null, null, null, null, null, true, true);
        }
        if (lower.startsWith("@")) {
            throw new IllegalArgumentException("unknown schedule '" + text + "': use @hourly, @daily, @weekly, @monthly, "
                    + "@yearly, '@every 10m' or five cron fields");
        }
        return parse5(text, text);
    }

    private static CronSchedule parse5(String text, String fields) {
        String[] parts = fields.split(" ");
        if (parts.length != 5) {
            throw new IllegalArgumentException("a cron schedule has five fields (minute hour day-of-month month day-of-week), got "
                    + parts.length);
        }
        BitSet weekdays = field(parts[4], 0, 7, "day-of-week");
        if (weekdays.get(7)) {
            weekdays.set(0);
        }
        return new CronSchedule(text, null, field(parts[0], 0, 59, "minute"), field(parts[1], 0, 23, "hour"),
                field(parts[2], 1, 31, "day-of-month"), field(parts[3], 1, 12, "month"), weekdays,
                parts[2].equals("*"), parts[4].equals("*"));
    }

    private static BitSet field(String spec, int min, int max, String name) {
        BitSet set = new BitSet();
        for (String part : spec.split(",")) {
            try {
                int step = 1;
                String range = part;
                int slash = part.indexOf('/');
                if (slash >= 0) {
                    step = Integer.parseInt(part.substring(slash + 1));
                    range = part.substring(0, slash);
                }
                int from;
                int to;
                if (range.equals("*")) {
                    from = min;
                    to = max;
                } else if (range.contains("-")) {
                    from = Integer.parseInt(range.substring(0, range.indexOf('-')));
                    to = Integer.parseInt(range.substring(range.indexOf('-') + 1));
                } else {
                    from = Integer.parseInt(range);
                    to = slash >= 0 ? max : from;
                }
                if (step < 1 || from < min || to > max || from > to) {
                    throw new NumberFormatException();
                }
                for (int v = from; v <= to; v += step) {
                    set.set(v);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " field '" + part + "' must be *, a number from " + min + " to "
                        + max + ", a range a-b, a list a,b, or a step */n");
            }
        }
        return set;
    }

    private static Duration duration(String text) {
        Duration total = Duration.ZERO;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)([smhd])").matcher(text);
        int consumed = 0;
        while (m.find()) {
            if (m.start() != consumed) {
                break;
            }
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
            consumed = m.end();
        }
        if (consumed != text.length() || consumed == 0) {
            throw new IllegalArgumentException("@every needs an interval such as 10m, 1h30m or 2h");
        }
        return total;
    }

    /** The first run strictly after {@code after}. */
    public Instant next(Instant after) {
        if (every != null) {
            return after.plus(every).truncatedTo(ChronoUnit.SECONDS);
        }
        ZonedDateTime t = after.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        ZonedDateTime limit = t.plusYears(5);
        while (t.isBefore(limit)) {
            if (!months.get(t.getMonthValue())) {
                t = t.withDayOfMonth(1).withHour(0).withMinute(0).plusMonths(1);
                continue;
            }
            if (!dayMatches(t)) {
                t = t.withHour(0).withMinute(0).plusDays(1);
                continue;
            }
            if (!hours.get(t.getHour())) {
                t = t.withMinute(0).plusHours(1);
                continue;
            }
            if (!minutes.get(t.getMinute())) {
                t = t.plusMinutes(1);
                continue;
            }
            return t.toInstant();
        }
        throw new IllegalArgumentException("schedule '" + text + "' never runs");
    }

    /** As in cron: when both day fields are restricted, either may match. */
    private boolean dayMatches(ZonedDateTime t) {
        boolean dom = days.get(t.getDayOfMonth());
        boolean dow = weekdays.get(t.getDayOfWeek().getValue() % 7);
        if (anyDay && anyWeekday) {
            return true;
        }
        if (anyDay) {
            return dow;
        }
        if (anyWeekday) {
            return dom;
        }
        return dom || dow;
    }
}
