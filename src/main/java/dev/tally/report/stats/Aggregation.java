package dev.tally.report.stats;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How a metric's values in one bucket become one number. Every aggregate skips events whose value
 * is NULL (latency without {@code ended_at}), as SQL aggregates do.
 */
enum Aggregation {
    SUM("sum"),
    AVG("avg"),
    MIN("min"),
    MAX("max"),
    /** Events with a (non-NULL) value. */
    COUNT("count"),
    /** Events whose value is non-zero: "true" in the sense of a number used as a flag (error_count). */
    COUNT_TRUE("count_true"),
    /** Events whose value is exactly zero. */
    COUNT_FALSE("count_false");

    private final String wireName;

    Aggregation(String wireName) {
        this.wireName = wireName;
    }

    String wireName() {
        return wireName;
    }

    /** The SQL aggregate over a column holding the metric's value. */
    String sql(String column) {
        return switch (this) {
            case SUM -> "sum(" + column + ")";
            case AVG -> "avg(" + column + ")";
            case MIN -> "min(" + column + ")";
            case MAX -> "max(" + column + ")";
            case COUNT -> "count(" + column + ")";
            case COUNT_TRUE -> "sum(CASE WHEN " + column + " <> 0 THEN 1 ELSE 0 END)";
            case COUNT_FALSE -> "sum(CASE WHEN " + column + " = 0 THEN 1 ELSE 0 END)";
        };
    }

    static Optional<Aggregation> fromWire(String name) {
        return Arrays.stream(values()).filter(aggregation -> aggregation.wireName.equals(name)).findFirst();
    }

    static String wireNames() {
        return Arrays.stream(values()).map(Aggregation::wireName).collect(Collectors.joining(", "));
    }
}
