package dev.tally.store.rollup;

import dev.tally.event.Event;
import dev.tally.store.EventColumn;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * One pre-aggregated table: a row per (tenant, UTC day, {@code keys}) holding integer sums.
 *
 * <p>Rows are deltas, not totals: a write appends one row per key it touched, with negative sums
 * for a call state that was replaced, and readers always {@code SUM(...) GROUP BY} the keys they
 * need (a ClickHouse SummingMergeTree keeps the same shape). Only integer sums and counts, so a
 * rollup answer is exactly the raw answer. A store compacts the deltas whenever it likes.
 *
 * @param keys the grouping columns after {@code tenant_id} and {@code day}
 * @param measures integer sums; the first is always the row count, whose zero marks a cancelled group
 * @param covers which events (or call states) the table counts
 */
public record RollupTable(String name, List<EventColumn> keys, List<Measure> measures, Predicate<Event> covers) {

    /** A summed column and how much one event adds to it. */
    public record Measure(String name, ToLongFunction<Event> value) {
    }

    /** The key and measure column names in stored order: tenant_id, day, keys…, measures…. */
    public List<String> columnNames() {
        List<String> names = new java.util.ArrayList<>(List.of("tenant_id", "day"));
        keys.forEach(key -> names.add(key.name()));
        measures.forEach(measure -> names.add(measure.name()));
        return names;
    }

    /** The first measure: how many events (or calls) a row stands for. */
    public String countColumn() {
        return measures.get(0).name();
    }
}
