package dev.tally.store.rollup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The spend report's call duration histogram ({@code drop_off_points}), the one place its bounds
 * live: the rollup counts a call with {@link #of} and the raw query with {@link #sqlCondition},
 * both from these bounds.
 *
 * <p>The labels of spec 000 read as ranges closed at the top: {@code <30s} stops short of 30 s,
 * so 30 s is {@code 30-60s}; {@code >5m} starts after 5 min, so exactly 300 s is {@code 3-5m}.
 * Hence 60 s is {@code 30-60s} and 180 s is {@code 1-3m}. Bounds compare milliseconds, so 300.001 s
 * is past five minutes.
 */
public enum CallDurationBucket {
    UNDER_30_SECONDS("<30s", "calls_under_30s", Long.MIN_VALUE, 29_999),
    HALF_TO_ONE_MINUTE("30-60s", "calls_30s_to_1m", 30_000, 60_000),
    ONE_TO_THREE_MINUTES("1-3m", "calls_1m_to_3m", 60_001, 180_000),
    THREE_TO_FIVE_MINUTES("3-5m", "calls_3m_to_5m", 180_001, 300_000),
    OVER_FIVE_MINUTES(">5m", "calls_over_5m", 300_001, Long.MAX_VALUE);

    public static final List<CallDurationBucket> ALL = List.of(values());

    private final String label;
    private final String column;
    private final long lowestMs;
    private final long highestMs;

    CallDurationBucket(String label, String column, long lowestMs, long highestMs) {
        this.label = label;
        this.column = column;
        this.lowestMs = lowestMs;
        this.highestMs = highestMs;
    }

    /** The label of spec 000, as the report shows it. */
    public String label() {
        return label;
    }

    /** The rollup column counting this bucket's calls. */
    public String column() {
        return column;
    }

    /** The bucket of a call's duration; none for a call without one (still in progress). */
    public static Optional<CallDurationBucket> of(Long durationMs) {
        if (durationMs == null) {
            return Optional.empty();
        }
        return Arrays.stream(values()).filter(bucket -> bucket.holds(durationMs)).findFirst();
    }

    boolean holds(long durationMs) {
        return durationMs >= lowestMs && durationMs <= highestMs;
    }

    /**
     * The same test in SQL over a nullable milliseconds column: NULL compares as unknown, so a
     * call without a duration lands in no bucket, as with {@link #of}. Only Java constants go into the text.
     */
    public String sqlCondition(String durationColumn) {
        List<String> bounds = new ArrayList<>();
        if (lowestMs != Long.MIN_VALUE) {
            bounds.add(durationColumn + " >= " + lowestMs);
        }
        if (highestMs != Long.MAX_VALUE) {
            bounds.add(durationColumn + " <= " + highestMs);
        }
        return String.join(" AND ", bounds);
    }
}
