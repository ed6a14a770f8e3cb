package dev.tally.report.contract;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random call statistics requests: zones with whole-hour, half-hour and quarter-hour offsets; ranges
 * that start on an hour or anywhere; granularities chosen or left to the server; filters on every
 * field the document names (a filter sends the report to the raw rows, none lets it read rollups).
 */
final class StatsQueries {
    private static final List<String> ZONES = List.of("UTC", "UTC", "America/New_York", "Asia/Kolkata",
            "Asia/Kathmandu", "America/Bahia_Banderas");
    private static final List<Long> GRANULARITIES = List.of(900L, 3_600L, 7_200L, 21_600L, 86_400L);
    private static final List<String> USAGE_METRICS = List.of("input_tokens", "output_tokens",
            "cache_read_input_tokens", "cache_creation_input_tokens", "total_cost");
    private static final List<String> AGGREGATIONS = List.of("sum", "avg", "min", "max", "count", "count_true",
            "count_false");
    private static final Map<String, List<String>> FILTER_VALUES = Map.of(
            "op_names", List.of("chat.completions", "embed", "summarize", "no-such-op"),
            "trace_ids", List.of("trace-1", "trace-2", "trace-3", "trace-7"),
            "call_ids", List.of("llm-3", "llm-10", "llm-40", "llm-41", "llm-77"),
            "parent_ids", List.of("llm-1", "llm-2", "llm-5", "llm-20"),
            "thread_ids", List.of("thread-1", "thread-3"),
            "turn_ids", List.of("turn-2", "turn-4"),
            "wb_user_ids", List.of("alice@example.com", "carol@example.com"),
            "wb_run_ids", List.of("run-1", "run-2"));

    private final Random random;
    private final RandomMoments moments;

    StatsQueries(Random random, Dataset dataset) {
        this.random = random;
        moments = new RandomMoments(random, dataset.windowStart(), dataset.windowEnd());
    }

    StatsQuery next(String tenant) {
        Instant start = moments.around(Duration.ofHours(6).toMillis());
        if (random.nextBoolean()) {
            start = Instant.ofEpochSecond(start.getEpochSecond() / 3_600 * 3_600);
        }
        long hours = 1 + random.nextInt(random.nextBoolean() ? 30 : 240);
        Instant end = start.plus(Duration.ofHours(hours)).minusSeconds(random.nextBoolean() ? 0 : random.nextInt(3_000));
        Long granularity = random.nextInt(4) == 0 ? null
                : hours <= 24 && random.nextBoolean() ? 300L : GRANULARITIES.get(random.nextInt(GRANULARITIES.size()));
        Map<String, List<String>> filters = new LinkedHashMap<>();
        if (random.nextInt(5) < 2) {
            FILTER_VALUES.forEach((name, values) -> {
                if (random.nextInt(4) == 0) {
                    filters.put(name, values.subList(0, 1 + random.nextInt(values.size())));
                }
            });
        }
        return new StatsQuery(tenant, start, end, granularity, ZoneId.of(ZONES.get(random.nextInt(ZONES.size()))),
                metrics(USAGE_METRICS, false), callMetrics(), filters, random.nextInt(8) == 0);
    }

    private List<StatsQuery.Metric> metrics(List<String> names, boolean percentiles) {
        List<StatsQuery.Metric> metrics = new ArrayList<>();
        for (String name : names) {
            if (random.nextInt(3) > 0) {
                metrics.add(new StatsQuery.Metric(name, aggregations(), percentiles && random.nextBoolean()
                        ? List.of(new BigDecimal("50"), new BigDecimal("90"), new BigDecimal("99.9")) : List.of()));
            }
        }
        return metrics;
    }

    private List<StatsQuery.Metric> callMetrics() {
        List<StatsQuery.Metric> metrics = new ArrayList<>(metrics(List.of("latency_ms"), true));
        metrics.add(new StatsQuery.Metric("call_count", List.of(), List.of()));
        metrics.add(new StatsQuery.Metric("error_count", List.of("sum", "count_true", "count_false"), List.of()));
        return metrics;
    }

    /** Any subset, often none, which means {@code sum}. */
    private List<String> aggregations() {
        List<String> chosen = new ArrayList<>();
        AGGREGATIONS.forEach(aggregation -> {
            if (random.nextInt(3) == 0) {
                chosen.add(aggregation);
            }
        });
        return chosen;
    }
}
