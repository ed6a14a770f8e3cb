package dev.tally.store.rollup;

import dev.tally.store.sql.EventColumn;
import dev.tally.store.sql.Sql;
import dev.tally.store.sql.SqlBuilder;
import dev.tally.store.sql.SqlDialect;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Renders a {@link RollupRead} as a relation, a parenthesised {@code SELECT} a report reads
 * {@code FROM}: rows of {@code tenant_id}, the time slot, the keys and the selected measures, in
 * the table's order. A group may span several rows (delta rows, slots read two ways); readers
 * aggregate, as they do over the rollup table itself.
 *
 * <p>Store-neutral: a store says where its rows come from (the rollup table for whole slots, the
 * raw table for the rest, or the raw table only) and how it names the raw table; the SQL of each
 * way is written once, here.
 */
public final class RollupRelations {

    private RollupRelations() {
    }

    /** Every row derived from the raw table. */
    public static Sql derived(RollupRead read, String rawRows, SqlDialect dialect) {
        return new SqlBuilder().append("(").append(derivedRows(read, read.table().grain(),
                List.of(new long[] {read.fromMs(), read.toMs()}), rawRows, dialect)).append(")").build();
    }

    /**
     * The whole slots of the range from the rollup table and the part-slots at either end derived
     * from the raw table: the read costs the slots it spans plus the raw rows of at most two partial
     * slots. A read with raw conditions is derived whole.
     */
    public static Sql stored(RollupRead read, String rawRows, SqlDialect dialect) {
        long slotMs = read.table().grain().milliseconds();
        long firstSlot = read.table().grain().slotAtOrAfter(read.fromMs());
        long endSlot = Math.floorDiv(read.toMs(), slotMs);
        if (!read.rawEquals().isEmpty() || firstSlot >= endSlot) {
            return derived(read, rawRows, dialect);
        }
        SqlBuilder sql = new SqlBuilder().append("(");
        if (read.fromMs() < firstSlot * slotMs) {
            sql.append(derivedRows(read, read.table().grain(), List.of(new long[] {read.fromMs(), firstSlot * slotMs}),
                    rawRows, dialect)).append(" UNION ALL ");
        }
        sql.append(storedSelect(read, firstSlot, endSlot));
        if (endSlot * slotMs < read.toMs()) {
            sql.append(" UNION ALL ").append(derivedRows(read, read.table().grain(),
                    List.of(new long[] {endSlot * slotMs, read.toMs()}), rawRows, dialect));
        }
        return sql.append(")").build();
    }

    private static Sql storedSelect(RollupRead read, long firstSlot, long endSlot) {
        RollupTable table = read.table();
        String slot = table.grain().column();
        SqlBuilder sql = new SqlBuilder().append("SELECT tenant_id, " + slot);
        table.keys().forEach(key -> sql.append(", " + key.name()));
        read.selectedMeasures().forEach(measure -> sql.append(", " + measure.name()));
        sql.append(" FROM " + table.name() + " WHERE ");
        if (read.tenantId() != null) {
            sql.append("tenant_id = ").value(read.tenantId()).append(" AND ");
        }
        return sql.append(slot + " >= ").value(firstSlot).append(" AND " + slot + " < ").value(endSlot).build();
    }

    /**
     * A {@code SELECT} of the rollup rows of the raw rows in the time ranges ({@code [from, to)}
     * each, at least one), in slots of {@code grain}: keys and measures computed under aliases of
     * their own in an inner query, so an expression never meets an output column of the same name
     * (ClickHouse would read the alias).
     */
    public static Sql derivedRows(RollupRead read, RollupTable.Grain grain, List<long[]> ranges, String rawRows,
                                  SqlDialect dialect) {
        Map<String, List<long[]>> rangesByTenant = new HashMap<>();
        rangesByTenant.put(read.tenantId(), ranges);
        return derivedRows(read, grain, rangesByTenant, rawRows, dialect);
    }

    /**
     * The same, each tenant's rows of its own ranges (a null tenant: every tenant's): one read of the
     * raw table for many tenants, where a {@code UNION ALL} of one read each would cost a scan, or on a
     * cluster a round trip to the shards, per tenant.
     */
    public static Sql derivedRows(RollupRead read, RollupTable.Grain grain, Map<String, List<long[]>> rangesByTenant,
                                  String rawRows, SqlDialect dialect) {
        if (rangesByTenant.isEmpty() || rangesByTenant.values().stream().anyMatch(List::isEmpty)) {
            throw new IllegalArgumentException("rows of no time range");
        }
        RollupTable table = read.table();
        List<EventColumn> keys = table.keys();
        List<RollupTable.Measure> measures = read.selectedMeasures();
        SqlBuilder sql = new SqlBuilder().append("SELECT tenant_id, slot_value AS " + grain.column());
        for (int index = 0; index < keys.size(); index++) {
            sql.append(", key_" + index + " AS " + keys.get(index).name());
        }
        for (int index = 0; index < measures.size(); index++) {
            RollupTable.Measure measure = measures.get(index);
            String combined = switch (measure.combine()) {
                case SUM -> "sum";
                case MIN -> "min";
                case MAX -> "max";
            };
            sql.append(", " + dialect.signedInteger(combined + "(measure_" + index + ")") + " AS " + measure.name());
        }
        sql.append(" FROM (SELECT tenant_id, "
                + dialect.integerDivide("time_ms", String.valueOf(grain.milliseconds())) + " AS slot_value");
        for (int index = 0; index < keys.size(); index++) {
            sql.append(", " + keys.get(index).sql() + " AS key_" + index);
        }
        for (int index = 0; index < measures.size(); index++) {
            sql.append(", " + measures.get(index).sql() + " AS measure_" + index);
        }
        sql.append(" FROM " + rawRows);
        if (rangesByTenant.size() == 1) {
            Map.Entry<String, List<long[]>> only = rangesByTenant.entrySet().iterator().next();
            appendTenantRanges(sql, only.getKey(), only.getValue());
        } else {
            sql.append("(");
            String or = "";
            for (Map.Entry<String, List<long[]>> tenant : new TreeMap<>(rangesByTenant).entrySet()) {
                sql.append(or + "(");
                appendTenantRanges(sql, Objects.requireNonNull(tenant.getKey(), "a tenant among several"),
                        tenant.getValue());
                sql.append(")");
                or = " OR ";
            }
            sql.append(")");
        }
        sql.append(" AND " + table.sourceCondition());
        for (Map.Entry<String, String> condition : read.rawEquals().entrySet()) {
            sql.append(" AND " + condition.getKey() + " = ").value(condition.getValue());
        }
        sql.append(") AS raw_rows GROUP BY tenant_id, slot_value");
        for (int index = 0; index < keys.size(); index++) {
            sql.append(", key_" + index);
        }
        return sql.build();
    }

    private static void appendTenantRanges(SqlBuilder sql, String tenantId, List<long[]> ranges) {
        if (tenantId != null) {
            sql.append("tenant_id = ").value(tenantId).append(" AND ");
        }
        sql.append("(");
        for (int index = 0; index < ranges.size(); index++) {
            sql.append(index == 0 ? "" : " OR ").append("(time_ms >= ").value(ranges.get(index)[0])
                    .append(" AND time_ms < ").value(ranges.get(index)[1]).append(")");
        }
        sql.append(")");
    }
}
