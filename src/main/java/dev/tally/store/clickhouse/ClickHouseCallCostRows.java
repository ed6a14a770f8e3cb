package dev.tally.store.clickhouse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.store.callcost.CallCostOrder;
import dev.tally.store.callcost.CallCostQuery;
import dev.tally.store.callcost.CallCostReads;
import dev.tally.store.callcost.CostComponent;
import dev.tally.store.clickhouse.ClickHouseCallCostRanks.CallList;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.Sql;
import dev.tally.store.sql.SqlBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Each call's cost as one row ({@value #TABLE}), kept under the hour the call started in, and those
 * rows added up by hour and agent ({@value #HOUR_SUMS}): recomputed and read like every rollup
 * ({@link ClickHouseRollups}), so a list of call costs reads one row per call of its range and its
 * sums a few rows per hour, instead of joining every call with its parts at each request.
 *
 * <p>Keyed by the call's hour, not its parts': a part changes the row of a call started hours or
 * days before it. So a write holding parts marks the hours their calls were written at too, looked
 * up in {@code call_states} before its rows go in ({@link ClickHouseEventStore}); the marks then
 * keep those hours read from raw rows until they are recomputed with the part, as any write's do.
 * A call the lookup does not find yet is being written by another instance, which marks its hour
 * itself; it is recomputed only once that mark has settled, when the part is in.
 *
 * <p>A list reads the first {@code limit} calls of every hour, not every call of its range: the
 * table holds each call in lists ranked within its hour ({@link ClickHouseCallCostRanks}), each
 * list (and each agent's) sorted apart, so a list without agent reads the few hundred calls a
 * recorded hour keeps first, one by agent that agent's calls alone: the first calls of a range are
 * among the first of its hours, whatever else the range holds. Whole days kept as days are read
 * from the first calls and sums their day keeps instead ({@link ClickHouseCallCostDays}).
 */
final class ClickHouseCallCostRows {
    private static final List<String> MEASURES = CallCostReads.GROUP_COLUMNS.subList(2,
            CallCostReads.GROUP_COLUMNS.size());
    static final String TABLE = "rollup_call_cost_lists";
    /** The last release's table, one row per call sorted by hour alone: dropped once this one is made. */
    static final String FORMER_TABLE = "rollup_call_costs";
    static final String HOUR_SUMS = "rollup_call_cost_hours";
    static final String COLUMNS = columns();
    static final String SUM_COLUMNS = sumColumns();
    /** The hour sums' order. */
    static final String ORDER = "ORDER BY (tenant_id, hour, generation)";
    /**
     * Each list, and each agent's, apart and in hour order: a list's rows of a range are read as one
     * run. Granules of fewer rows within each hour skipped more rows ranked beyond the limit but
     * read slower than the rows they skipped (a month of the largest tenant's calls at 10M: 26 ms
     * against 14 ms this way, and 33 ms for one row per call sorted by hour alone).
     */
    static final String LIST_ORDER = "ORDER BY (tenant_id, list, agent_key, hour, generation, rank)";
    private static final long HOUR_MS = 3_600_000L;
    /** The per-call columns holding text; the others hold integers. */
    private static final Set<String> TEXT_COLUMNS = Set.of("call_key", "agent_id", "provider", "status");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ClickHouseCallCostRows() {
    }

    /** The types a derived row has ({@link CallCostReads#perCall}), so stored and derived rows read as one relation. */
    private static String columns() {
        StringBuilder columns = new StringBuilder("tenant_id String, hour Int64, generation Int64, call_hash Int64,"
                + " call_key String, agent_id Nullable(String), provider Nullable(String), status Nullable(String),"
                + " time_ms Int64, duration_ms Nullable(Int64), reported_total_cost_nanos Nullable(Int64)");
        for (CostComponent component : CostComponent.values()) {
            columns.append(", ").append(component.column()).append(" Int64");
        }
        return columns.append(", unpriced_events Int64, total_nanos Int64, list UInt8, agent_key String, rank UInt32,"
                + " rank_ascending UInt32").toString();
    }

    private static String sumColumns() {
        StringBuilder columns = new StringBuilder("tenant_id String, hour Int64, generation Int64,"
                + " agent_id Nullable(String)");
        MEASURES.forEach(measure -> columns.append(", ").append(measure).append(" Int64"));
        return columns.toString();
    }

    /** The tenant's calls started within the time ranges ({@code [from, to)} each, at least one), as conditions over call rows. */
    static Sql callsIn(String tenantId, List<long[]> ranges, String agentId) {
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException("calls of no time range");
        }
        SqlBuilder sql = new SqlBuilder().append("tenant_id = ").value(tenantId).append(" AND (");
        for (int index = 0; index < ranges.size(); index++) {
            sql.append(index == 0 ? "" : " OR ").append("(time_ms >= ").value(ranges.get(index)[0])
                    .append(" AND time_ms < ").value(ranges.get(index)[1]).append(")");
        }
        sql.append(")");
        if (agentId != null) {
            sql.append(" AND agent_id = ").value(agentId);
        }
        return sql.build();
    }

    /**
     * One row per call meeting {@code calls} (over {@code callRows}) with its hour, its parts from
     * {@code parts}: what the table stores, and what a read derives for hours not recorded.
     */
    static Sql derivedRows(String callRows, Sql calls, CallCostReads.Parts parts, String tenantId) {
        return new SqlBuilder().append("SELECT tenant_id, intDiv(time_ms, " + HOUR_MS + ") AS hour, call_hash, "
                        + String.join(", ", CallCostReads.PER_CALL_COLUMNS) + " FROM (")
                .append(CallCostReads.perCall(callRows, calls, parts.sums(tenantId, calls))).append(") AS per_call")
                .build();
    }

    /** {@link #derivedRows} with {@code mismatched} (1 or 0) by {@link CallCostReads#MISMATCHED}: what a recomputation stores. */
    static Sql derivedRowsToStore(String callRows, Sql calls, CallCostReads.Parts parts, String tenantId) {
        return new SqlBuilder().append("SELECT *, toUInt8(" + CallCostReads.MISMATCHED + ") AS mismatched FROM (")
                .append(derivedRows(callRows, calls, parts, tenantId)).append(") AS to_store").build();
    }

    /** A derived row as stored under a generation. */
    static ObjectNode storedRow(Row derived, long generation) {
        ObjectNode row = MAPPER.createObjectNode().put("tenant_id", derived.string("tenant_id"))
                .put("hour", derived.longValue("hour")).put("generation", generation)
                .put("call_hash", derived.longValue("call_hash"));
        for (String column : CallCostReads.PER_CALL_COLUMNS) {
            if (derived.get(column) == null) {
                row.putNull(column);
            } else if (TEXT_COLUMNS.contains(column)) {
                row.put(column, derived.string(column));
            } else {
                row.put(column, derived.longValue(column));
            }
        }
        return row;
    }

    /** The (tenant, hour, agent) a sum of stored rows is kept under. */
    private record HourAgent(String tenantId, long hour, String agentId) {
    }

    /** The stored rows of every call ({@link CallList#EVERY}) added up by hour and agent, under the same generation. */
    static List<ObjectNode> hourSums(List<ObjectNode> rows, long generation) {
        Map<HourAgent, long[]> sums = new LinkedHashMap<>();
        for (ObjectNode row : rows) {
            if (row.get("list").asInt() != CallList.EVERY.code()) {
                continue;
            }
            HourAgent key = new HourAgent(row.get("tenant_id").asText(), row.get("hour").asLong(),
                    row.get("agent_id").isNull() ? null : row.get("agent_id").asText());
            long[] measures = sums.computeIfAbsent(key, any -> new long[MEASURES.size()]);
            measures[0] += 1;
            measures[1] += row.get("duration_ms").isNull() ? 0 : row.get("duration_ms").asLong();
            int index = 2;
            for (CostComponent component : CostComponent.values()) {
                measures[index++] += row.get(component.column()).asLong();
            }
            measures[index] += row.get("unpriced_events").asLong();
        }
        List<ObjectNode> stored = new ArrayList<>(sums.size());
        sums.forEach((key, measures) -> {
            ObjectNode sum = MAPPER.createObjectNode().put("tenant_id", key.tenantId()).put("hour", key.hour())
                    .put("generation", generation).put("agent_id", key.agentId());
            for (int index = 0; index < MEASURES.size(); index++) {
                sum.put(MEASURES.get(index), measures[index]);
            }
            stored.add(sum);
        });
        return stored;
    }

    /**
     * The per-call rows of the request's calls: recorded hours from this table's rows of every call,
     * of their generation only, and the ranges not recorded derived from the calls and their parts.
     *
     * @param generations the condition selecting recorded hours by generation ({@code hour} its column), or null
     * @param derivedCalls the calls derived from raw rows (conditions over call rows), or null
     */
    static Sql perCall(String tenantId, long firstHour, long endHour, Sql generations, String agentId,
                       Sql derivedCalls, String callRows, CallCostReads.Parts parts) {
        String columns = String.join(", ", CallCostReads.PER_CALL_COLUMNS);
        SqlBuilder sql = new SqlBuilder().append("(");
        String union = "";
        if (generations != null) {
            sql.append("SELECT " + columns + " FROM " + TABLE + " WHERE ").append(recorded(tenantId, firstHour,
                    endHour, generations, CallList.EVERY, agentId));
            union = " UNION ALL ";
        }
        if (derivedCalls != null) {
            sql.append(union + "SELECT " + columns + " FROM (").append(derivedRows(callRows, derivedCalls, parts,
                    tenantId)).append(") AS derived");
        }
        return sql.append(")").build();
    }

    /**
     * The sums by UTC day and agent ({@link CallCostReads#GROUP_COLUMNS}) of the recorded hours
     * ({@code generations}, or null), of kept days ({@code keptSums}, the rows of
     * {@link ClickHouseCallCostDays#sums}, or null) and of the derived calls ({@code derivedPerCall},
     * per-call rows, or null), one row per day and agent.
     */
    static Sql groups(String tenantId, long firstHour, long endHour, Sql generations, Sql keptSums, String agentId,
                      Sql derivedPerCall) {
        SqlBuilder sql = new SqlBuilder().append("(SELECT call_day_key AS call_day, agent_key AS agent_id");
        // summed under names of their own: an aggregate meeting a column of its name fails on 18.16
        MEASURES.forEach(measure -> sql.append(", toInt64(sum(" + measure + "_part)) AS " + measure));
        sql.append(" FROM (");
        String union = "";
        if (generations != null) {
            sql.append("SELECT intDiv(hour, 24) AS call_day_key, agent_id AS agent_key");
            MEASURES.forEach(measure -> sql.append(", " + measure + " AS " + measure + "_part"));
            sql.append(" FROM " + HOUR_SUMS + " WHERE ").append(hours(tenantId, firstHour, endHour, generations,
                    agentId));
            union = " UNION ALL ";
        }
        if (keptSums != null) {
            sql.append(union).append(keptSums);
            union = " UNION ALL ";
        }
        if (derivedPerCall != null) {
            sql.append(union + "SELECT intDiv(time_ms, " + CallCostReads.DAY_MS + ") AS call_day_key,"
                    + " agent_id AS agent_key");
            sql.append(", toInt64(1) AS call_count_part, toInt64(coalesce(duration_ms, 0)) AS duration_sum_part");
            for (CostComponent component : CostComponent.values()) {
                sql.append(", toInt64(" + component.column() + ") AS " + component.key() + "_sum_part");
            }
            sql.append(", toInt64(unpriced_events) AS unpriced_sum_part");
            sql.append(" FROM ").append(derivedPerCall).append(" AS derived_calls");
        }
        return sql.append(") AS hour_groups GROUP BY call_day_key, agent_key)").build();
    }

    /**
     * The first {@code limit} recorded rows in the request's order by cost, and every derived row:
     * with them, the first calls of the range. The recorded rows are those a kept day holds
     * ({@code keptDays}, the rows of {@link ClickHouseCallCostDays#kept}, or null) and, of the other
     * recorded hours ({@code generations}, or null), those ranked within {@code limit} in their hour:
     * over every agent ({@link CallList#FIRST}) where the limit is within what that list keeps, else in
     * each hour and agent ({@link CallList#EVERY}; the first of an hour are among the first of its agents).
     */
    static Sql firstByCost(String tenantId, long firstHour, long endHour, Sql generations, Sql keptDays,
                           CallCostQuery request, Sql derivedCalls, String callRows, CallCostReads.Parts parts) {
        String order = switch (request.order()) {
            case COST_DESC -> "total_nanos DESC, call_key";
            case COST_ASC -> "total_nanos, call_key";
            case STARTED_DESC -> throw new IllegalArgumentException("the latest calls are not listed by cost");
        };
        String rank = request.order() == CallCostOrder.COST_DESC ? "rank" : "rank_ascending";
        CallList list = request.agentId() == null && request.limit() <= ClickHouseCallCostRanks.FIRST_RANKS
                ? CallList.FIRST : CallList.EVERY;
        return firstRanked(tenantId, firstHour, endHour, generations, keptDays, list, request.agentId(), rank, order,
                request.limit(), derivedCalls, callRows, parts);
    }

    /**
     * The recorded rows that may be among the request's first {@code limit} mismatches (those a kept
     * day holds, {@code keptDays} or null, and of other hours those ranked within the limit in their
     * hour and agent, {@link CallList#MISMATCHED}), and every derived row.
     */
    static Sql mismatches(String tenantId, long firstHour, long endHour, Sql generations, Sql keptDays,
                          CallCostQuery request, Sql derivedCalls, String callRows, CallCostReads.Parts parts) {
        return firstRanked(tenantId, firstHour, endHour, generations, keptDays, CallList.MISMATCHED, request.agentId(),
                "rank", "abs(reported_total_cost_nanos - total_nanos) DESC, call_key", request.limit(), derivedCalls,
                callRows, parts);
    }

    /**
     * A list's rows ranked within {@code limit} in their hours (of those {@code generations} selects,
     * or none) and the rows of kept days (or none), sorted where they are read, the first
     * {@code limit} kept; then the derived rows.
     */
    private static Sql firstRanked(String tenantId, long firstHour, long endHour, Sql generations, Sql keptDays,
                                   CallList list, String agentId, String rank, String order, int limit,
                                   Sql derivedCalls, String callRows, CallCostReads.Parts parts) {
        if (generations == null && keptDays == null) {
            throw new IllegalArgumentException("a list of no recorded hour or kept day");
        }
        String columns = String.join(", ", CallCostReads.PER_CALL_COLUMNS);
        SqlBuilder sql = new SqlBuilder().append("(SELECT * FROM (SELECT " + columns + " FROM (");
        String union = "";
        if (generations != null) {
            sql.append("SELECT " + columns + " FROM " + TABLE + " WHERE ")
                    .append(recorded(tenantId, firstHour, endHour, generations, list, agentId))
                    .append(" AND " + rank + " <= ").value(limit);
            union = " UNION ALL ";
        }
        if (keptDays != null) {
            sql.append(union).append(keptDays);
        }
        sql.append(") AS recorded_rows ORDER BY " + order + " LIMIT ").value(limit).append(") AS first_recorded");
        if (derivedCalls != null) {
            sql.append(" UNION ALL SELECT " + columns + " FROM (").append(derivedRows(callRows, derivedCalls, parts,
                    tenantId)).append(") AS derived");
        }
        return sql.append(")").build();
    }

    /** A list's rows of recorded hours; by agent where one is asked for (never in {@link CallList#FIRST}). */
    private static Sql recorded(String tenantId, long firstHour, long endHour, Sql generations, CallList list,
                                String agentId) {
        SqlBuilder sql = new SqlBuilder().append("tenant_id = ").value(tenantId).append(" AND hour >= ")
                .value(firstHour).append(" AND hour < ").value(endHour).append(" AND ").append(generations)
                .append(" AND list = ").value(list.code());
        if (agentId != null) {
            if (list == CallList.FIRST) {
                throw new IllegalArgumentException("the first calls of every agent read by agent");
            }
            sql.append(" AND agent_key = ").value(agentId).append(" AND agent_id = ").value(agentId);
        }
        return sql.build();
    }

    /** The hour sums of recorded hours. */
    private static Sql hours(String tenantId, long firstHour, long endHour, Sql generations, String agentId) {
        SqlBuilder sql = new SqlBuilder().append("tenant_id = ").value(tenantId).append(" AND hour >= ")
                .value(firstHour).append(" AND hour < ").value(endHour).append(" AND ").append(generations);
        if (agentId != null) {
            sql.append(" AND agent_id = ").value(agentId);
        }
        return sql.build();
    }
}
