package dev.tally.report.stats;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** Token and cost metrics of llm events, reported per bucket and model. */
enum UsageMetric implements Metric {
    INPUT_TOKENS("input_tokens", "input_tokens", MetricUnit.COUNT),
    OUTPUT_TOKENS("output_tokens", "output_tokens", MetricUnit.COUNT),
    TOTAL_TOKENS("total_tokens", "input_tokens + output_tokens", MetricUnit.COUNT),
    CACHE_READ_INPUT_TOKENS("cache_read_input_tokens", "cached_input_tokens", MetricUnit.COUNT),
    CACHE_CREATION_INPUT_TOKENS("cache_creation_input_tokens", "cache_creation_input_tokens", MetricUnit.COUNT),
    INPUT_COST("input_cost", "input_cost_nanos", MetricUnit.NANO_USD),
    OUTPUT_COST("output_cost", "output_cost_nanos", MetricUnit.NANO_USD),
    TOTAL_COST("total_cost", "cost_nanos", MetricUnit.NANO_USD);

    private final String wireName;
    private final String sqlExpression;
    private final MetricUnit unit;

    UsageMetric(String wireName, String sqlExpression, MetricUnit unit) {
        this.wireName = wireName;
        this.sqlExpression = sqlExpression;
        this.unit = unit;
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
        return unit;
    }

    static Optional<UsageMetric> fromWire(String name) {
        return Arrays.stream(values()).filter(metric -> metric.wireName.equals(name)).findFirst();
    }

    static String wireNames() {
        return Arrays.stream(values()).map(UsageMetric::wireName).collect(Collectors.joining(", "));
    }
}
