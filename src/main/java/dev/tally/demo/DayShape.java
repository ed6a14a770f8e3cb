package dev.tally.demo;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

/**
 * How busy a demo day is and when in it things happen: weekdays busier than weekends, business
 * hours busier than nights (in the tenant's own time zone), and slow growth over the 90 days, so
 * that charts of the demo look like a real workspace rather than noise.
 */
final class DayShape {
    /** Relative activity per local hour, midnight first. */
    private static final double[] LOCAL_HOUR_WEIGHTS = {
        1, 0.5, 0.3, 0.3, 0.3, 0.5, 1, 3, 6, 9, 10, 10, 8, 9, 10, 9, 8, 6, 4, 3, 2, 2, 1.5, 1};
    private static final long HOUR_MS = 3_600_000L;

    private DayShape() {
    }

    /**
     * @param progress 0 on the first day of the demo, 1 on the last
     */
    static int count(DemoTenant.Range range, LocalDate date, double progress, SplittableRandom random) {
        double weekday = switch (date.getDayOfWeek()) {
            case MONDAY, TUESDAY, WEDNESDAY, THURSDAY -> 1.0;
            case FRIDAY -> 0.85;
            case SATURDAY -> 0.35;
            case SUNDAY -> 0.25;
        };
        double trend = 0.75 + 0.25 * progress;
        double noise = 0.85 + 0.3 * random.nextDouble();
        double fill = Math.min(1.0, weekday * trend * noise);
        return range.least() + (int) Math.round((range.most() - range.least()) * fill);
    }

    /** A start time on the tenant's local day of that date, as epoch milliseconds. */
    static long startMs(LocalDate date, int utcOffsetHours, SplittableRandom random) {
        int localHour = Draw.weightedIndex(random, LOCAL_HOUR_WEIGHTS);
        long midnightUtc = date.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        return midnightUtc + (localHour - utcOffsetHours) * HOUR_MS + random.nextInt((int) HOUR_MS);
    }
}
