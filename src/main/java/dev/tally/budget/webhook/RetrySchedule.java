package dev.tally.budget.webhook;

import java.time.Duration;

/**
 * When a failed delivery is tried again: 5 s after the first attempt, doubling up to an hour
 * between attempts, for a day from the first attempt; after that it is given up.
 */
final class RetrySchedule {
    static final Duration FIRST = Duration.ofSeconds(5);
    static final Duration LONGEST = Duration.ofHours(1);
    static final Duration GIVE_UP_AFTER = Duration.ofHours(24);

    private RetrySchedule() {
    }

    /** The next attempt after {@code attempts} failed ones, or null when the day is over. */
    static Long next(int attempts, long firstAttemptMs, long nowMs) {
        long delay = FIRST.toMillis() << Math.min(attempts - 1, 20);
        long next = nowMs + Math.min(delay, LONGEST.toMillis());
        return next - firstAttemptMs > GIVE_UP_AFTER.toMillis() ? null : next;
    }
}
