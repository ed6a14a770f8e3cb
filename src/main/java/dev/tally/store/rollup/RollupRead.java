package dev.tally.store.rollup;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a report reads of one rollup: the events of a tenant (or of every tenant, when null) with
 * {@code fromMs <= time_ms < toMs}, in the rollup's shape. The store answers it from the rollup
 * table, the raw rows, or both ({@link RollupRelations}); the report cannot tell which.
 *
 * @param rawEquals conditions on raw columns the rollup has no key for ({@code user_email}): rows
 *     matching them can only be derived from the raw table
 * @param measures the measure columns the report reads, in the table's order; all when empty
 */
public record RollupRead(RollupTable table, String tenantId, long fromMs, long toMs, Map<String, String> rawEquals,
                         List<String> measures) {

    public RollupRead {
        rawEquals = Map.copyOf(rawEquals);
        measures = List.copyOf(measures);
        if (fromMs > toMs) {
            throw new IllegalArgumentException("a read ends before it starts: " + fromMs + " > " + toMs);
        }
    }

    public static RollupRead of(RollupTable table, String tenantId, long fromMs, long toMs) {
        return new RollupRead(table, tenantId, fromMs, toMs, Map.of(), List.of());
    }

    /** Only the raw rows whose {@code column} holds {@code value}. */
    public RollupRead whereRaw(String column, String value) {
        Map<String, String> conditions = new LinkedHashMap<>(rawEquals);
        conditions.put(column, value);
        return new RollupRead(table, tenantId, fromMs, toMs, conditions, measures);
    }

    /** Only these measure columns; aggregating forty columns where a report needs three costs several times one. */
    public RollupRead measures(String... names) {
        return new RollupRead(table, tenantId, fromMs, toMs, rawEquals, List.of(names));
    }

    /** The measures read, in the table's order. */
    public List<RollupTable.Measure> selectedMeasures() {
        if (measures.isEmpty()) {
            return table.measures();
        }
        List<RollupTable.Measure> selected = table.measures().stream()
                .filter(measure -> measures.contains(measure.name())).toList();
        if (selected.size() != measures.size()) {
            throw new IllegalArgumentException(table.name() + " has no measure among some of " + measures);
        }
        return selected;
    }
}
