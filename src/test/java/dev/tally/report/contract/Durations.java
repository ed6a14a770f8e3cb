package dev.tally.report.contract;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How the reports print summed durations: rounded once, half up, from the exact sum in milliseconds
 * (the fixed-dataset tests pin half up: 619.5 s is 10.33 minutes, 71.755 s is 71.76 s), so a total
 * never carries the rounding of its parts.
 */
final class Durations {
    private Durations() {
    }

    static BigDecimal seconds(long millis) {
        return BigDecimal.valueOf(millis, 3);
    }

    static BigDecimal wholeSeconds(long millis) {
        return seconds(millis).setScale(0, RoundingMode.HALF_UP);
    }

    static BigDecimal secondsToHundredths(long millis) {
        return seconds(millis).setScale(2, RoundingMode.HALF_UP);
    }

    static BigDecimal minutes(long millis) {
        return BigDecimal.valueOf(millis).divide(BigDecimal.valueOf(60_000), 2, RoundingMode.HALF_UP);
    }

    static BigDecimal hours(long millis) {
        return BigDecimal.valueOf(millis).divide(BigDecimal.valueOf(3_600_000), 2, RoundingMode.HALF_UP);
    }
}
