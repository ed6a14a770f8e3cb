package dev.tally.store.clickhouse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.store.callcost.CallCostReads;
import dev.tally.store.callcost.CostComponent;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.Sql;
import dev.tally.store.sql.SqlBuilder;
import dev.tally.store.sql.SqlDialect;
import java.util.List;

/**
 * The parts of calls added up per (tenant, hour of the part, call), recomputed and read like every
 * rollup ({@link ClickHouseRollups}): a report of call costs adds up a few rows per call instead of
 * every part event read {@code FINAL}.
 *
 * <p>Keyed by the hour of each part, not of its call: a part arriving late marks its own hour, as
 * any write does, and only that hour's rows change. Which hours hold a call's parts comes from
 * {@link ClickHouseCallParts}. An erased call's rows are deleted once its hours are marked again, and
 * the worker recomputes them under the pseudonym, as a member's usage rows are.
 */
final class ClickHouseCallPartSums {
    static final String TABLE = "rollup_call_parts";
    static final String COLUMNS = columns();
    /** By hour first: a report reads the hours its calls' parts are in, for many calls at once. */
    static final String ORDER = "ORDER BY (tenant_id, hour, call_key, generation)";
    private static final long HOUR_MS = 3_600_000L;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ClickHouseCallPartSums() {
    }

    private static String columns() {
        StringBuilder columns = new StringBuilder("tenant_id String, hour Int64, generation Int64, call_key String");
        CallCostReads.PART_COLUMNS.forEach(column -> columns.append(", ").append(column).append(" Int64"));
        return columns.toString();
    }

    /**
     * One tenant's rows (tenant_id, hour, call_key, {@link CallCostReads#PART_COLUMNS}) derived from
     * the raw rows in the time ranges ({@code [from, to)} each, at least one).
     *
     * @param eventRows the raw events as read ({@code ReportStore.rows(EVENTS)}): a table and an open {@code WHERE}
     * @param calls when not null, only the parts of the calls these conditions over {@code callRows}
     *     select ({@code tenant_id} first)
     */
    static Sql derivedRows(String tenantId, List<long[]> ranges, String eventRows, SqlDialect dialect,
                           String callRows, Sql calls) {
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException("rows of no time range");
        }
        SqlBuilder sql = new SqlBuilder().append("SELECT tenant_id, " + dialect.integerDivide("time_ms",
                        String.valueOf(HOUR_MS)) + " AS hour, " + dialect.knownNotNull("call_id") + " AS call_key"
                        + CallCostReads.partSumColumns(dialect) + " FROM " + eventRows + "tenant_id = ").value(tenantId)
                .append(" AND (");
        for (int index = 0; index < ranges.size(); index++) {
            sql.append(index == 0 ? "" : " OR ").append("(time_ms >= ").value(ranges.get(index)[0])
                    .append(" AND time_ms < ").value(ranges.get(index)[1]).append(")");
        }
        sql.append(") AND call_id IS NOT NULL AND type IN " + CostComponent.partTypesSql());
        if (calls != null) {
            sql.append(" AND call_id IN (SELECT id FROM " + callRows).append(calls).append(")");
        }
        return sql.append(" GROUP BY tenant_id, hour, call_id").build();
    }

    /** A row of {@link #derivedRows} as stored under a generation. */
    static ObjectNode storedRow(Row derived, long generation) {
        ObjectNode row = MAPPER.createObjectNode().put("tenant_id", derived.string("tenant_id"))
                .put("hour", derived.longValue("hour")).put("generation", generation)
                .put("call_key", derived.string("call_key"));
        CallCostReads.PART_COLUMNS.forEach(column -> row.put(column, derived.longValue(column)));
        return row;
    }

    /**
     * The parts of the calls {@code calls} selects ({@link CallCostReads.Parts#sums}), and of other
     * calls with parts in the same hours, from the hours {@code [firstHour, endHour)}: recorded hours
     * from this table, rows of their generation only, and the rest derived from the raw rows.
     *
     * @param generations the condition selecting recorded hours by generation, or null when none is
     * @param raw         the time ranges to derive, possibly none
     */
    static Sql sums(String tenantId, long firstHour, long endHour, Sql generations, List<long[]> raw, Sql calls,
                    String eventRows, String callRows, SqlDialect dialect) {
        SqlBuilder sql = new SqlBuilder().append("(SELECT tenant_id, call_key");
        // summed under names of their own: an aggregate meeting a column of its name fails on 18.16
        CallCostReads.PART_COLUMNS.forEach(column -> sql.append(", " + dialect.signedInteger("sum(" + column
                + "_in_hour)") + " AS " + column));
        sql.append(" FROM (SELECT tenant_id, call_key" + renamed() + " FROM " + TABLE + " WHERE tenant_id = ")
                .value(tenantId).append(" AND hour >= ").value(firstHour).append(" AND hour < ").value(endHour)
                .append(" AND ");
        if (generations == null) {
            sql.append("generation < 0");
        } else {
            sql.append(generations);
        }
        // no filter by call here: the hours hold few other calls, which the join with the calls leaves out,
        // and a set of every call of the range costs more to build than those rows do to add up
        if (!raw.isEmpty()) {
            sql.append(" UNION ALL SELECT tenant_id, call_key" + renamed() + " FROM (")
                    .append(derivedRows(tenantId, raw, eventRows, dialect, callRows, calls)).append(") AS derived");
        }
        return sql.append(") AS hour_parts GROUP BY tenant_id, call_key)").build();
    }

    private static String renamed() {
        StringBuilder columns = new StringBuilder();
        CallCostReads.PART_COLUMNS.forEach(column -> columns.append(", ").append(column).append(" AS ")
                .append(column).append("_in_hour"));
        return columns.toString();
    }
}
