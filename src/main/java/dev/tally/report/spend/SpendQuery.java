package dev.tally.report.spend;

import dev.tally.event.CallStatus;
import dev.tally.store.ReportStore;
import dev.tally.store.Row;
import dev.tally.store.SqlBuilder;
import dev.tally.store.rollup.CallDurationBucket;
import dev.tally.store.rollup.RollupRead;
import dev.tally.store.rollup.Rollups;
import java.util.List;

/**
 * The spend overview's three questions, asked of the calls-by-agent rollup: each call's latest
 * state counted once per agent, status and UTC day. The store decides whether those rows come
 * from its rollup table or from the raw calls; the answers are the same.
 *
 * <p>Output columns are named apart from the rollup's columns: ClickHouse reads a name used again
 * later in the query as the alias, not the column.
 */
final class SpendQuery {
    private final ReportStore store;

    SpendQuery(ReportStore store) {
        this.store = store;
    }

    /** Totals, status and sentiment counts and the duration histogram in one pass. */
    SpendTotals totals(String tenantId, SpendFilters filters) {
        SqlBuilder sql = new SqlBuilder().append("SELECT sum(calls) AS call_count");
        for (CallStatus status : CallStatus.values()) {
            sql.append(", sum(CASE WHEN status = ").value(status.wireName())
                    .append(" THEN calls ELSE 0 END) AS status_" + status.wireName());
        }
        for (String sentiment : List.of("positive", "neutral", "negative")) {
            sql.append(", sum(sentiment_" + sentiment + ") AS sentiment_" + sentiment + "_count");
        }
        sql.append(", sum(timed_calls) AS timed_call_count, sum(duration_ms) AS duration_sum,"
                + " sum(cost_nanos) AS cost_sum");
        for (CallDurationBucket bucket : CallDurationBucket.ALL) {
            sql.append(", sum(" + bucket.column() + ") AS " + bucket.column() + "_count");
        }
        Row row = store.query(from(sql, tenantId, filters).build()).get(0);
        return new SpendTotals(row.longValue("call_count"), row.longValue("status_completed"),
                row.longValue("status_failed"), row.longValue("status_in_progress"),
                row.longValue("sentiment_positive_count"), row.longValue("sentiment_neutral_count"),
                row.longValue("sentiment_negative_count"), row.longValue("timed_call_count"),
                row.longValue("duration_sum"), row.longValue("cost_sum"),
                CallDurationBucket.ALL.stream().map(bucket -> row.longValue(bucket.column() + "_count")).toList());
    }

    /** One row per UTC day that has calls; day 0 is the range's first day. */
    List<DayTotals> days(String tenantId, SpendFilters filters) {
        SqlBuilder sql = new SqlBuilder().append("SELECT day - " + filters.range().from().toEpochDay()
                + " AS day_index, sum(calls) AS call_count, sum(duration_ms) AS duration_sum,"
                + " sum(cost_nanos) AS cost_sum");
        from(sql, tenantId, filters).append(" GROUP BY day HAVING sum(calls) <> 0 ORDER BY day");
        return store.query(sql.build()).stream()
                .map(row -> new DayTotals(row.longValue("day_index"), row.longValue("call_count"),
                        row.longValue("duration_sum"), row.longValue("cost_sum")))
                .toList();
    }

    /** Calls per agent, most calls first; calls without an agent are not an agent's and are left out. */
    List<AgentTotals> agents(String tenantId, SpendFilters filters) {
        SqlBuilder sql = new SqlBuilder().append("SELECT agent_id, sum(calls) AS call_count,"
                + " sum(duration_ms) AS duration_sum, sum(cost_nanos) AS cost_sum");
        from(sql, tenantId, filters).append(" AND agent_id IS NOT NULL GROUP BY agent_id"
                + " HAVING sum(calls) <> 0 ORDER BY call_count DESC, agent_id");
        return store.query(sql.build()).stream()
                .map(row -> new AgentTotals(row.string("agent_id"), row.longValue("call_count"),
                        row.longValue("duration_sum"), row.longValue("cost_sum")))
                .toList();
    }

    private SqlBuilder from(SqlBuilder sql, String tenantId, SpendFilters filters) {
        RollupRead read = RollupRead.of(Rollups.CALLS_BY_AGENT, tenantId, filters.range().startMs(),
                filters.range().endMsExclusive());
        sql.append(" FROM ").append(store.rollup(read)).append(" AS agent_calls WHERE 1 = 1");
        if (filters.agentId() != null) {
            sql.append(" AND agent_id = ").value(filters.agentId());
        }
        if (filters.status() != null) {
            sql.append(" AND status = ").value(filters.status().wireName());
        }
        return sql;
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
