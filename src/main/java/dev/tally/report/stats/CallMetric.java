package dev.tally.report.stats;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Per-call metrics, reported per bucket only. A "call" here is what the tracing product calls one:
 * one llm event (one request to a model), not a phone call.
 */
enum CallMetric implements Metric {
    /** {@code ended_at − time}; NULL, and so left out of every aggregate but the bucket count, without {@code ended_at}. */
    LATENCY_MS("latency_ms", "ended_ms - time_ms"),
    CALL_COUNT("call_count", "1"),
    ERROR_COUNT("error_count", "CASE WHEN exception IS NULL THEN 0 ELSE 1 END");

    private final String wireName;
    private final String sqlExpression;

    CallMetric(String wireName, String sqlExpression) {
        this.wireName = wireName;
        this.sqlExpression = sqlExpression;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    @Override
    public String sqlExpression() {
        return sqlExpression;
    }

    @Override
    public MetricUnit unit() {
        return MetricUnit.COUNT;
    }

    static Optional<CallMetric> fromWire(String name) {
        return Arrays.stream(values()).filter(metric -> metric.wireName.equals(name)).findFirst();
    }

    static String wireNames() {
        return Arrays.stream(values()).map(CallMetric::wireName).collect(Collectors.joining(", "));
    }
}
