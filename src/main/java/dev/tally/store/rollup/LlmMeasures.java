package dev.tally.store.rollup;

import dev.tally.event.Event;
import dev.tally.store.rollup.RollupTable.Combine;
import dev.tally.store.rollup.RollupTable.Measure;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The measures of {@link Rollups#LLM_BY_HOUR}, named after the call statistics' metrics: for a
 * metric {@code m}, {@code m_sum}, {@code m_min}, {@code m_max} and {@code m_zeros} (events whose
 * value is 0), and {@code m_count} (events with a value) for latency, the one metric an event can
 * lack. Every aggregation the statistics API offers is one of these or a difference of two.
 */
public final class LlmMeasures {
    /** Metrics every llm event has a value for: their count is {@code events}. */
    public static final List<String> ALWAYS_PRESENT = List.of("input_tokens", "output_tokens", "total_tokens",
            "cache_read_input_tokens", "cache_creation_input_tokens", "input_cost", "output_cost", "total_cost");
    public static final String LATENCY = "latency_ms";

    static final List<Measure> ALL = measures();

    private LlmMeasures() {
    }

    private static List<Measure> measures() {
        List<Measure> measures = new ArrayList<>();
        measures.add(new Measure("events", Combine.SUM, event -> 1, "1"));
        measures.add(new Measure("errors", Combine.SUM, event -> event.exception == null ? 0 : 1,
                "CASE WHEN exception IS NULL THEN 0 ELSE 1 END"));
        addValued(measures, "input_tokens", event -> event.inputTokens, "input_tokens");
        addValued(measures, "output_tokens", event -> event.outputTokens, "output_tokens");
        addValued(measures, "total_tokens", event -> event.inputTokens + event.outputTokens,
                "(input_tokens + output_tokens)");
        addValued(measures, "cache_read_input_tokens", event -> event.cachedInputTokens, "cached_input_tokens");
        addValued(measures, "cache_creation_input_tokens", event -> event.cacheCreationInputTokens,
                "cache_creation_input_tokens");
        addValued(measures, "input_cost", event -> event.inputCostNanos, "input_cost_nanos");
        addValued(measures, "output_cost", event -> event.outputCostNanos, "output_cost_nanos");
        addValued(measures, "total_cost", event -> event.costNanos, "cost_nanos");
        String latency = "(ended_ms - time_ms)";
        measures.add(new Measure(LATENCY + "_count", Combine.SUM, event -> event.endedMs == null ? 0 : 1,
                "CASE WHEN ended_ms IS NULL THEN 0 ELSE 1 END"));
        measures.add(new Measure(LATENCY + "_sum", Combine.SUM, event -> orZero(latency(event)),
                "coalesce(" + latency + ", 0)"));
        measures.add(new Measure(LATENCY + "_min", Combine.MIN,
                event -> latency(event) == null ? Long.MAX_VALUE : latency(event), latency));
        measures.add(new Measure(LATENCY + "_max", Combine.MAX,
                event -> latency(event) == null ? Long.MIN_VALUE : latency(event), latency));
        measures.add(new Measure(LATENCY + "_zeros", Combine.SUM,
                event -> latency(event) != null && latency(event) == 0 ? 1 : 0,
                "CASE WHEN " + latency + " = 0 THEN 1 ELSE 0 END"));
        return List.copyOf(measures);
    }

    private static void addValued(List<Measure> measures, String metric, ToLongFunction<Event> value, String sql) {
        measures.add(new Measure(metric + "_sum", Combine.SUM, value, sql));
        measures.add(new Measure(metric + "_min", Combine.MIN, value, sql));
        measures.add(new Measure(metric + "_max", Combine.MAX, value, sql));
        measures.add(new Measure(metric + "_zeros", Combine.SUM, event -> value.applyAsLong(event) == 0 ? 1 : 0,
                "CASE WHEN " + sql + " = 0 THEN 1 ELSE 0 END"));
    }

    private static Long latency(Event event) {
        return event.endedMs == null ? null : event.endedMs - event.timeMs;
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
