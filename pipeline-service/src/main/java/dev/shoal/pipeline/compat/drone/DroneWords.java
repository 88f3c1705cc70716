package dev.shoal.pipeline.compat.drone;

import java.time.Instant;

/** Shoal's words and times in Drone's: statuses, events, unix seconds. */
public final class DroneWords {

    private DroneWords() {
    }

    /** Drone says {@code killed} where Shoal says {@code cancelled}; the other words are the same list. */
    public static String status(String shoal) {
        return "cancelled".equals(shoal) ? "killed" : shoal;
    }

    /** A manual Shoal pipeline is what Drone calls a {@code custom} build. */
    public static String event(String shoal) {
        return "manual".equals(shoal) ? "custom" : shoal;
    }

    /** Drone's timestamps: unix seconds, 0 for "not yet". */
    public static long unix(Instant time) {
        return time == null ? 0 : time.getEpochSecond();
    }

    public static long latest(Instant... times) {
        long max = 0;
        for (Instant time : times) {
            max = Math.max(max, unix(time));
        }
        return max;
    }
}
