package dev.tally.store.clickhouse;

import dev.tally.store.callcost.CallCostOrder;
import dev.tally.store.callcost.CallCostReads;
import dev.tally.store.clickhouse.ClickHouseCallCostRanks.CallList;
import dev.tally.store.sql.Sql;
import dev.tally.store.sql.SqlBuilder;
import java.util.List;

/**
 * Call costs of each compacted UTC day: the first calls of the day ({@value #TABLE}) by cost either
 * way and by how much they miss, over every agent and by agent, and the day's sums by agent
 * ({@value #SUMS}). A list of call costs reads these for its whole days instead of the first calls
 * and sums of each of their hours: a month's list then reads the few hundred rows of each of 30
 * days, not of 720 hours (the hours' rows grow with the range, which kept the 100M run's list above
 * its target).
 *
 * <p>Built with the day's other day rows ({@link ClickHouseDays}), from the call rows and hour sums
 * of the very generations of its hours that the day's record digests, under the day's generation:
 * read only while that record is current, like every day row. The first calls of a range are among
 * the first of each of its days, so a list of up to {@value #KEPT} calls finds them all here.
 */
final class ClickHouseCallCostDays {
    static final String TABLE = "rollup_call_cost_days";
    static final String SUMS = "rollup_call_cost_day_sums";
    /** How many calls of a day (of each agent's, where by agent) each list keeps: the longest list it answers. */
    static final int KEPT = ClickHouseCallCostRanks.FIRST_RANKS;
    private static final long HOURS_PER_DAY = 24;
    static final String COLUMNS = ClickHouseCallCostRows.COLUMNS.replace("hour Int64", "day Int64")
            .replace(", rank UInt32, rank_ascending UInt32", "");
    static final String SUM_COLUMNS = ClickHouseCallCostRows.SUM_COLUMNS.replace("hour Int64", "day Int64");
    /** Each list, and each agent's, apart and in day order: a range's rows are read as one run. */
    static final String ORDER = "ORDER BY (tenant_id, list, agent_key, day, generation)";
    static final String SUM_ORDER = "ORDER BY (tenant_id, day, generation)";
    private static final List<String> MEASURES = CallCostReads.GROUP_COLUMNS.subList(2,
            CallCostReads.GROUP_COLUMNS.size());
    private static final String MISSED_BY = "abs(reported_total_cost_nanos - total_nanos) DESC, call_key";

    private ClickHouseCallCostDays() {
    }

    /** The lists a day keeps: the first {@value #KEPT} calls of the day (of each agent's, where by agent) in one order. */
    enum DayList {
        COST_DESCENDING(CallList.EVERY, false, "total_nanos DESC, call_key"),
        COST_ASCENDING(CallList.EVERY, false, "total_nanos, call_key"),
        AGENT_COST_DESCENDING(CallList.EVERY, true, "total_nanos DESC, call_key"),
        AGENT_COST_ASCENDING(CallList.EVERY, true, "total_nanos, call_key"),
        MISMATCHED(CallList.MISMATCHED, false, MISSED_BY),
        AGENT_MISMATCHED(CallList.MISMATCHED, true, MISSED_BY);

        private final CallList source;
        private final boolean byAgent;
        private final String order;

        DayList(CallList source, boolean byAgent, String order) {
            this.source = source;
            this.byAgent = byAgent;
            this.order = order;
        }

        int code() {
            return ordinal();
        }

        boolean byAgent() {
            return byAgent;
        }

        /** The list holding the first calls in {@code order}, by agent or over every agent. */
        static DayList of(CallCostOrder order, boolean byAgent) {
            return switch (order) {
                case COST_DESC -> byAgent ? AGENT_COST_DESCENDING : COST_DESCENDING;
                case COST_ASC -> byAgent ? AGENT_COST_ASCENDING : COST_ASCENDING;
                case STARTED_DESC -> throw new IllegalArgumentException("the latest calls are not kept by day");
            };
        }

        /** The list holding the calls that miss the most. */
        static DayList mismatched(boolean byAgent) {
            return byAgent ? AGENT_MISMATCHED : MISMATCHED;
        }
    }

    /**
     * Inserts the lists and sums of the days of {@code [firstHour, endHour)} from the call rows and
     * hour sums of the (hour, generation) pairs, under {@code generation}, and checks that each row
     * landed once.
     */
    static void build(ClickHouseHttp http, String tenantId, long firstHour, long endHour, Sql pairs, long generation) {
        long expected = 0;
        // the lists of one source and grouping, one per order, keep as many rows: counted once
        java.util.Map<String, Long> kept = new java.util.HashMap<>();
        for (DayList list : DayList.values()) {
            expected += kept.computeIfAbsent(list.source + " " + list.byAgent, any -> http.query(ClickHouseLiterals.bind(
                    new SqlBuilder().append("SELECT toInt64(sum(least(n, ").value(KEPT).append("))) AS kept FROM"
                                    + " (SELECT count() AS n FROM " + ClickHouseCallCostRows.TABLE + " WHERE ")
                            .append(scope(tenantId, firstHour, endHour, pairs)).append(" AND list = ")
                            .value(list.source.code()).append(" GROUP BY " + groups(list) + ") AS day_calls").build()))
                    .get(0).longValue("kept"));
        }
        String columns = String.join(", ", CallCostReads.PER_CALL_COLUMNS);
        for (DayList list : DayList.values()) {
            // positional, the day under a name of its own: the source's columns keep theirs
            http.execute(ClickHouseLiterals.bind(new SqlBuilder().append("INSERT INTO " + TABLE
                            + " (tenant_id, day, generation, call_hash, " + columns + ", list, agent_key)"
                            + " SELECT tenant_id, intDiv(hour, " + HOURS_PER_DAY + ") AS call_day, toInt64(")
                    .value(generation).append("), call_hash, " + columns + ", toUInt8(").value(list.code())
                    .append("), " + (list.byAgent ? "agent_key" : "''") + " FROM " + ClickHouseCallCostRows.TABLE
                            + " WHERE ").append(scope(tenantId, firstHour, endHour, pairs)).append(" AND list = ")
                    .value(list.source.code()).append(" ORDER BY " + groups(list) + ", " + list.order + " LIMIT ")
                    .value(KEPT).append(" BY " + groups(list)).build()));
        }
        String sumScope = " FROM " + ClickHouseCallCostRows.HOUR_SUMS + " WHERE ";
        String grouping = " GROUP BY tenant_id, intDiv(hour, " + HOURS_PER_DAY + "), agent_id";
        expected += http.query(ClickHouseLiterals.bind(new SqlBuilder().append("SELECT count() AS n FROM (SELECT 1"
                + sumScope).append(scope(tenantId, firstHour, endHour, pairs)).append(grouping + ") AS day_sums")
                .build())).get(0).longValue("n");
        // positional: a result alias named like its column would be read back into its own aggregate
        SqlBuilder sums = new SqlBuilder().append("INSERT INTO " + SUMS + " (tenant_id, day, generation, agent_id, "
                + String.join(", ", MEASURES) + ") SELECT tenant_id, intDiv(hour, " + HOURS_PER_DAY + "), toInt64(")
                .value(generation).append("), agent_id");
        MEASURES.forEach(measure -> sums.append(", toInt64(sum(" + measure + "))"));
        http.execute(ClickHouseLiterals.bind(sums.append(sumScope).append(scope(tenantId, firstHour, endHour, pairs))
                .append(grouping).build()));
        long landed = 0;
        for (String table : List.of(TABLE, SUMS)) {
            landed += http.query(ClickHouseLiterals.bind(new SqlBuilder().append("SELECT count() AS n FROM " + table
                    + " WHERE tenant_id = ").value(tenantId).append(" AND generation = ").value(generation).build()))
                    .get(0).longValue("n");
        }
        if (landed != expected) {
            throw new ClickHouseException(TABLE + " and " + SUMS + " got " + landed + " rows of generation "
                    + generation + " for " + expected + "; the days stay read by the hour", null);
        }
    }

    private static Sql scope(String tenantId, long firstHour, long endHour, Sql pairs) {
        return new SqlBuilder().append("tenant_id = ").value(tenantId).append(" AND hour >= ").value(firstHour)
                .append(" AND hour < ").value(endHour).append(" AND (hour, generation) IN (").append(pairs).append(")")
                .build();
    }

    private static String groups(DayList list) {
        return "intDiv(hour, " + HOURS_PER_DAY + ")" + (list.byAgent ? ", agent_key" : "");
    }

    /**
     * The calls a list keeps for the days {@code [firstDay, endDay)} that {@code generations}
     * selects (its {@code day} the column), of one agent where the list is by agent.
     */
    static Sql kept(String tenantId, KeptDays days, DayList list, String agentId) {
        SqlBuilder sql = new SqlBuilder().append("SELECT " + String.join(", ", CallCostReads.PER_CALL_COLUMNS)
                        + " FROM " + TABLE + " WHERE tenant_id = ").value(tenantId).append(" AND list = ")
                .value(list.code());
        if (list.byAgent) {
            sql.append(" AND agent_key = ").value(agentId).append(" AND agent_id = ").value(agentId);
        } else if (agentId != null) {
            throw new IllegalArgumentException("the first calls of every agent read by agent");
        }
        return sql.append(" AND ").append(days.condition()).build();
    }

    /**
     * The day sums of the kept days as the hour sums' parts of {@link ClickHouseCallCostRows#groups}:
     * {@code call_day_key}, {@code agent_key} and each measure as {@code <measure>_part}.
     */
    static Sql sums(String tenantId, KeptDays days, String agentId) {
        SqlBuilder sql = new SqlBuilder().append("SELECT day AS call_day_key, agent_id AS agent_key");
        MEASURES.forEach(measure -> sql.append(", " + measure + " AS " + measure + "_part"));
        sql.append(" FROM " + SUMS + " WHERE tenant_id = ").value(tenantId).append(" AND ").append(days.condition());
        if (agentId != null) {
            sql.append(" AND agent_id = ").value(agentId);
        }
        return sql.build();
    }

    /** Whole days read from their kept rows: {@code [firstDay, endDay)} and the condition selecting each one's generation. */
    record KeptDays(long firstDay, long endDay, Sql generations) {
        Sql condition() {
            return new SqlBuilder().append("day >= ").value(firstDay).append(" AND day < ").value(endDay)
                    .append(" AND ").append(generations).build();
        }
    }
}
