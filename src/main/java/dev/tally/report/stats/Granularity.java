package dev.tally.report.stats;

import java.time.Duration;

/** The bucket size of a statistics request: the client's, or one chosen for the range, never over 10,000 buckets. */
final class Granularity {
    static final long MAX_BUCKETS = 10_000;

    private static final long TWO_HOURS_MS = Duration.ofHours(2).toMillis();
    private static final long TWELVE_HOURS_MS = Duration.ofHours(12).toMillis();
    private static final long THREE_DAYS_MS = Duration.ofDays(3).toMillis();
    private static final long FOURTEEN_DAYS_MS = Duration.ofDays(14).toMillis();

    private Granularity() {
    }

    /**
     * The granularity in seconds: {@code requestedSeconds} when given, else by range (≤ 2 h → 300,
     * ≤ 12 h → 3600, ≤ 3 d → 21600, ≤ 14 d → 43200, else 86400). Then, however it was chosen, a
     * granularity that would cut the range into more than 10,000 buckets becomes
     * {@code floor(range_seconds / 10000) + 1}, as the reference server does.
     */
    static long resolve(Long requestedSeconds, long rangeMs) {
        long seconds = requestedSeconds != null ? requestedSeconds : automatic(rangeMs);
        // range / granularity > 10,000, in milliseconds so a fractional second of range counts too
        if (rangeMs > MAX_BUCKETS * seconds * 1000) {
            seconds = rangeMs / (MAX_BUCKETS * 1000) + 1;
        }
        return seconds;
    }

    static long automatic(long rangeMs) {
        if (rangeMs <= TWO_HOURS_MS) {
            return 300;
        }
        if (rangeMs <= TWELVE_HOURS_MS) {
            return 3_600;
        }
        if (rangeMs <= THREE_DAYS_MS) {
            return 21_600;
        }
        if (rangeMs <= FOURTEEN_DAYS_MS) {
            return 43_200;
        }
        return 86_400;
    }
}
