package dev.tally.report.spend;

import dev.tally.event.CallStatus;
import dev.tally.store.EventStore;
import dev.tally.store.Row;
import dev.tally.store.SqlBuilder;
import dev.tally.store.SqlDialect;
import dev.tally.store.rollup.CallDurationBucket;
import dev.tally.store.rollup.Rollups;
import java.util.List;

/**
 * The spend overview's SQL over the {@code calls} table, kept apart from the report so a rollup
 * table can answer the same three questions later. Plain aggregates only; the one engine-specific
 * piece, integer division for day buckets, comes from the dialect.
 */
final class SpendQuery {
    private static final long DAY_MS = 86_400_000L;

    private final EventStore store;

    SpendQuery(EventStore store) {
        this.store = store;
    }

    /** Totals, status and sentiment counts and the duration histogram in one pass. */
    SpendTotals totals(String tenantId, SpendFilters filters) {
        if (store.maintainsRollups()) {
            return rollupTotals(tenantId, filters);
        }
        SqlBuilder sql = new SqlBuilder().append("SELECT count(*) AS calls");
        for (CallStatus status : CallStatus.values()) {
            sql.append(", SUM(CASE WHEN status = ").value(status.wireName())
                    .append(" THEN 1 ELSE 0 END) AS status_" + status.wireName());
        }
        for (String sentiment : List.of("positive", "neutral", "negative")) {
            sql.append(", SUM(CASE WHEN sentiment = ").value(sentiment)
                    .append(" THEN 1 ELSE 0 END) AS sentiment_" + sentiment);
        }
        // Aliases differ from column names: ClickHouse resolves a later duration_ms to an alias of that name.
        sql.append(", count(duration_ms) AS timed_calls, SUM(duration_ms) AS total_duration_ms,"
                + " SUM(cost_nanos) AS total_cost_nanos");
        for (CallDurationBucket bucket : CallDurationBucket.ALL) {
            sql.append(", SUM(CASE WHEN " + bucket.sqlCondition("duration_ms") + " THEN 1 ELSE 0 END) AS "
                    + bucket.column());
        }
        where(sql.append(" FROM calls"), tenantId, filters);
        Row row = store.query(sql.build()).get(0);
        return new SpendTotals(row.longValue("calls"), row.longValue("status_completed"),
                row.longValue("status_failed"), row.longValue("status_in_progress"),
                row.longValue("sentiment_positive"), row.longValue("sentiment_neutral"),
                row.longValue("sentiment_negative"), row.longValue("timed_calls"), row.longValue("total_duration_ms"),
                row.longValue("total_cost_nanos"), durationBuckets(row));
    }

    /** One row per UTC day that has calls; day 0 is the range's first day. */
    List<DayTotals> days(String tenantId, SpendFilters filters) {
        if (store.maintainsRollups()) {
            SqlBuilder sql = new SqlBuilder().append("SELECT day - " + filters.range().from().toEpochDay()
                    + " AS day_index, sum(calls) AS calls, sum(duration_ms) AS duration_ms,"
                    + " sum(cost_nanos) AS cost_nanos");
            rollupWhere(sql, tenantId, filters).append(" GROUP BY day HAVING sum(calls) <> 0 ORDER BY day");
            return store.query(sql.build()).stream()
                    .map(row -> new DayTotals(row.longValue("day_index"), row.longValue("calls"),
                            row.longValue("duration_ms"), row.longValue("cost_nanos")))
                    .toList();
        }
        // The origin and the day length are Java longs written as literals: nothing a client sent.
        String day = store.dialect().integerDivide("time_ms - " + filters.range().startMs(), String.valueOf(DAY_MS));
        SqlBuilder sql = new SqlBuilder().append("SELECT " + day + " AS day_index, count(*) AS calls")
                .append(", SUM(duration_ms) AS duration_ms, SUM(cost_nanos) AS cost_nanos FROM calls");
        where(sql, tenantId, filters).append(" GROUP BY day_index ORDER BY day_index");
        return store.query(sql.build()).stream()
                .map(row -> new DayTotals(row.longValue("day_index"), row.longValue("calls"),
                        row.longValue("duration_ms"), row.longValue("cost_nanos")))
                .toList();
    }

    /** Calls per agent, most calls first; calls without an agent are not an agent's and are left out. */
    List<AgentTotals> agents(String tenantId, SpendFilters filters) {
        if (store.maintainsRollups()) {
            SqlBuilder sql = new SqlBuilder().append("SELECT agent_id, sum(calls) AS calls,"
                    + " sum(duration_ms) AS duration_ms, sum(cost_nanos) AS cost_nanos");
            rollupWhere(sql, tenantId, filters).append(" AND agent_id IS NOT NULL GROUP BY agent_id"
                    + " HAVING sum(calls) <> 0 ORDER BY calls DESC, agent_id");
            return store.query(sql.build()).stream()
                    .map(row -> new AgentTotals(row.string("agent_id"), row.longValue("calls"),
                            row.longValue("duration_ms"), row.longValue("cost_nanos")))
                    .toList();
        }
        SqlBuilder sql = new SqlBuilder().append("SELECT agent_id, count(*) AS calls")
                .append(", SUM(duration_ms) AS duration_ms, SUM(cost_nanos) AS cost_nanos FROM calls");
        where(sql, tenantId, filters).append(" AND agent_id IS NOT NULL GROUP BY agent_id ORDER BY calls DESC, agent_id");
        return store.query(sql.build()).stream()
                .map(row -> new AgentTotals(row.string("agent_id"), row.longValue("calls"),
                        row.longValue("duration_ms"), row.longValue("cost_nanos")))
                .toList();
    }

    /**
     * The same totals from the per-day call rollup: every count is a sum of the rollup's counts of
     * calls with that status, sentiment or duration, so it equals the raw count.
     */
    private SpendTotals rollupTotals(String tenantId, SpendFilters filters) {
        SqlBuilder sql = new SqlBuilder().append("SELECT sum(calls) AS calls");
        for (CallStatus status : CallStatus.values()) {
            sql.append(", sum(CASE WHEN status = ").value(status.wireName())
                    .append(" THEN calls ELSE 0 END) AS status_" + status.wireName());
        }
        for (String sentiment : List.of("positive", "neutral", "negative")) {
            sql.append(", sum(sentiment_" + sentiment + ") AS sentiment_" + sentiment);
        }
        sql.append(", sum(timed_calls) AS timed_calls, sum(duration_ms) AS duration_ms, sum(cost_nanos) AS cost_nanos");
        for (CallDurationBucket bucket : CallDurationBucket.ALL) {
            sql.append(", sum(" + bucket.column() + ") AS " + bucket.column());
        }
        Row row = store.query(rollupWhere(sql, tenantId, filters).build()).get(0);
        return new SpendTotals(row.longValue("calls"), row.longValue("status_completed"),
                row.longValue("status_failed"), row.longValue("status_in_progress"),
                row.longValue("sentiment_positive"), row.longValue("sentiment_neutral"),
                row.longValue("sentiment_negative"), row.longValue("timed_calls"), row.longValue("duration_ms"),
                row.longValue("cost_nanos"), durationBuckets(row));
    }

    private static List<Long> durationBuckets(Row row) {
        return CallDurationBucket.ALL.stream().map(bucket -> row.longValue(bucket.column())).toList();
    }

    private static SqlBuilder rollupWhere(SqlBuilder sql, String tenantId, SpendFilters filters) {
        sql.append(" FROM " + Rollups.CALLS_BY_AGENT.name() + " WHERE tenant_id = ").value(tenantId)
                .append(" AND day >= ").value(filters.range().from().toEpochDay())
                .append(" AND day <= ").value(filters.range().to().toEpochDay());
        if (filters.agentId() != null) {
            sql.append(" AND agent_id = ").value(filters.agentId());
        }
        if (filters.status() != null) {
            sql.append(" AND status = ").value(filters.status().wireName());
        }
        return sql;
    }

    private static SqlBuilder where(SqlBuilder sql, String tenantId, SpendFilters filters) {
        sql.append(" WHERE tenant_id = ").value(tenantId)
                .append(" AND time_ms >= ").value(filters.range().startMs())
                .append(" AND time_ms < ").value(filters.range().endMsExclusive());
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
