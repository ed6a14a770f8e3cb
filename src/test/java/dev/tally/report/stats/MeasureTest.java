package dev.tally.report.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MeasureTest {

    @ParameterizedTest
    @CsvSource({"95, p95_latency_ms", "99.9, p99.9_latency_ms", "50.0, p50_latency_ms", "1E+2, p100_latency_ms",
            "0, p0_latency_ms", "25.50, p25.5_latency_ms"})
    void percentileKeysHaveNoTrailingZeros(String percentile, String key) {
        assertThat(Measure.percentile(CallMetric.LATENCY_MS, new BigDecimal(percentile)).key()).isEqualTo(key);
    }

    @ParameterizedTest
    @CsvSource({"SUM, input_tokens, sum_input_tokens", "COUNT_TRUE, cache_read_input_tokens, count_true_cache_read_input_tokens",
            "AVG, total_cost, avg_total_cost"})
    void aggregationKeysNameAggregationThenMetric(Aggregation aggregation, String metric, String key) {
        assertThat(Measure.aggregation(UsageMetric.fromWire(metric).orElseThrow(), aggregation).key()).isEqualTo(key);
    }

    @ParameterizedTest
    @CsvSource({"1, 0.000000001", "4025000, 0.004025", "0, 0", "1000000000, 1"})
    void dollarsAreWrittenPlain(long nanos, String text) {
        assertThat(Usd.ofNanos(nanos).toString()).isEqualTo(text);
    }
}
