package dev.tally.report.spend;

import dev.tally.event.CallStatus;
import dev.tally.report.SqlTextOrder;
import dev.tally.store.ReportStore;
import dev.tally.store.rollup.CallDurationBucket;
import dev.tally.store.rollup.RollupRead;
import dev.tally.store.rollup.Rollups;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.SqlBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The spend overview from one query over the calls-by-agent rollup: each call's latest state
 * counted once per UTC day, agent and status, a few hundred rows for a month, from which the
 * totals, the days and the agents are added up in Java, exactly, since they are integers. One
 * query is one round trip and one snapshot: the three parts of the answer always agree. The store
 * decides whether the rows come from its rollup table or from the raw calls.
 */
final class SpendQuery {
    private static final List<String> SENTIMENTS = List.of("positive", "neutral", "negative");
    /**
     * The query's sums, in the order a group's values are kept; after them, one slot per
     * {@link CallStatus} holding the group's calls when it has that status.
     */
    private static final List<String> COLUMNS = columns();
    private static final int CALLS = 0;
    private static final int TIMED = 1;
    private static final int DURATION = 2;
    private static final int COST = 3;
    private static final int FIRST_SENTIMENT = 4;
    private static final int FIRST_BUCKET = FIRST_SENTIMENT + SENTIMENTS.size();
    private static final int WIDTH = COLUMNS.size() + CallStatus.values().length;

    private final ReportStore store;

    SpendQuery(ReportStore store) {
        this.store = store;
    }

    Spend spend(String tenantId, SpendFilters filters) {
        // output names differ from the rollup's columns: ClickHouse reads a name used again as the alias
        SqlBuilder sql = new SqlBuilder().append("SELECT day - " + filters.range().from().toEpochDay()
                + " AS day_index, agent_id, status, sum(calls) AS call_count, sum(timed_calls) AS timed_call_count,"
                + " sum(duration_ms) AS duration_sum, sum(cost_nanos) AS cost_sum,"
                // calls that neither carried a carrier cost nor found a price: Tally's addition to spend
                + " sum(unpriced_calls) AS unpriced_count");
        SENTIMENTS.forEach(sentiment -> sql.append(", sum(sentiment_" + sentiment + ") AS " + sentiment + "_count"));
        CallDurationBucket.ALL.forEach(bucket -> sql.append(", sum(" + bucket.column() + ") AS " + bucket.column()
                + "_count"));
        RollupRead read = RollupRead.of(Rollups.CALLS_BY_AGENT, tenantId, filters.range().startMs(),
                filters.range().endMsExclusive());
        sql.append(" FROM ").append(store.rollup(read)).append(" AS agent_calls WHERE 1 = 1");
        if (filters.agentId() != null) {
            sql.append(" AND agent_id = ").value(filters.agentId());
        }
        if (filters.status() != null) {
            sql.append(" AND status = ").value(filters.status().wireName());
        }
        sql.append(" GROUP BY day, agent_id, status");

        long[] totals = new long[WIDTH];
        Map<Long, long[]> days = new TreeMap<>();
        Map<String, long[]> agents = new TreeMap<>(SqlTextOrder.NULLS_LAST);
        long unpricedCalls = 0;
        for (Row row : store.query(sql.build())) {
            unpricedCalls += row.longValue("unpriced_count");
            long[] values = new long[WIDTH];
            for (int index = 0; index < COLUMNS.size(); index++) {
                values[index] = row.longValue(COLUMNS.get(index));
            }
            for (CallStatus status : CallStatus.values()) {
                if (status.wireName().equals(row.string("status"))) {
                    values[COLUMNS.size() + status.ordinal()] = values[CALLS];
                }
            }
            add(totals, values);
            add(days.computeIfAbsent(row.longValue("day_index"), any -> new long[values.length]), values);
            if (row.string("agent_id") != null) {
                add(agents.computeIfAbsent(row.string("agent_id"), any -> new long[values.length]), values);
            }
        }
        List<DayTotals> dayTotals = new ArrayList<>();
        days.forEach((day, values) -> {
            if (values[CALLS] != 0) {
                dayTotals.add(new DayTotals(day, values[CALLS], values[DURATION], values[COST]));
            }
        });
        List<AgentTotals> agentTotals = new ArrayList<>();
        agents.forEach((agent, values) -> {
            if (values[CALLS] != 0) {
                agentTotals.add(new AgentTotals(agent, values[CALLS], values[DURATION], values[COST]));
            }
        });
        // most calls first; the sort is stable, so agents with as many calls stay in text order
        agentTotals.sort(Comparator.comparingLong(AgentTotals::calls).reversed());
        return new Spend(totalsOf(totals), dayTotals, agentTotals, unpricedCalls);
    }

    private static List<String> columns() {
        List<String> columns = new ArrayList<>(List.of("call_count", "timed_call_count", "duration_sum", "cost_sum"));
        SENTIMENTS.forEach(sentiment -> columns.add(sentiment + "_count"));
        CallDurationBucket.ALL.forEach(bucket -> columns.add(bucket.column() + "_count"));
        return List.copyOf(columns);
    }

    private static void add(long[] sums, long[] values) {
        for (int index = 0; index < sums.length; index++) {
            sums[index] = Math.addExact(sums[index], values[index]);
        }
    }

    private static SpendTotals totalsOf(long[] values) {
        List<Long> buckets = new ArrayList<>();
        for (int index = 0; index < CallDurationBucket.ALL.size(); index++) {
            buckets.add(values[FIRST_BUCKET + index]);
        }
        int statuses = COLUMNS.size();
        return new SpendTotals(values[CALLS], values[statuses + CallStatus.COMPLETED.ordinal()],
                values[statuses + CallStatus.FAILED.ordinal()], values[statuses + CallStatus.IN_PROGRESS.ordinal()],
                values[FIRST_SENTIMENT], values[FIRST_SENTIMENT + 1], values[FIRST_SENTIMENT + 2], values[TIMED],
                values[DURATION], values[COST], buckets);
    }

    record Spend(SpendTotals totals, List<DayTotals> days, List<AgentTotals> agents, long unpricedCalls) {
    }

    /**
     * @param durationBuckets call counts by duration, in the order of {@link CallDurationBucket#ALL}
     */
    record SpendTotals(long calls, long completed, long failed, long inProgress, long positive, long neutral,
                       long negative, long timedCalls, long durationMs, long costNanos, List<Long> durationBuckets) {
    }

    record DayTotals(long dayIndex, long calls, long durationMs, long costNanos) {
    }

    record AgentTotals(String agentId, long calls, long durationMs, long costNanos) {
    }
}
