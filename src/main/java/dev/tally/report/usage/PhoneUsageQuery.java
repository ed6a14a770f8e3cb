package dev.tally.report.usage;

import dev.tally.event.CallStatus;
import dev.tally.report.DateRange;
import dev.tally.store.EventStore;
import dev.tally.store.Row;
import dev.tally.store.SqlBuilder;
import dev.tally.store.rollup.Rollups;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Computes the phone usage report from the {@code calls} table (one row per call, its latest
 * state). Only finished calls count, with an end time, bucketed on the UTC day they started.
 */
public final class PhoneUsageQuery {
    private static final List<String> FINAL_STATUSES = Arrays.stream(CallStatus.values())
            .filter(CallStatus::isFinal).map(CallStatus::wireName).toList();

    private final EventStore store;

    public PhoneUsageQuery(EventStore store) {
        this.store = store;
    }

    public PhoneUsageReport run(String tenantId, DateRange range) {
        return report(range, store.maintainsRollups() ? rollupSql(tenantId, range) : rawSql(tenantId, range));
    }

    private SqlBuilder rollupSql(String tenantId, DateRange range) {
        SqlBuilder sql = new SqlBuilder().append("SELECT " + UsageSql.rollupDayIndex(range) + " AS day_index,"
                + " phone_number, sum(calls) AS calls,"
                + " sum(CASE WHEN direction = 'inbound' THEN calls ELSE 0 END) AS inbound,"
                + " sum(CASE WHEN direction = 'outbound' THEN calls ELSE 0 END) AS outbound,"
                + " sum(duration_ms) AS duration_ms");
        UsageSql.fromRollup(sql, Rollups.CALLS_BY_PHONE.name(), tenantId, null, range)
                .append(" AND status IN ").values(FINAL_STATUSES).append(" AND ended = 1")
                .append(" GROUP BY day, phone_number HAVING sum(calls) <> 0 ORDER BY day, phone_number ASC NULLS LAST");
        return sql;
    }

    private SqlBuilder rawSql(String tenantId, DateRange range) {
        SqlBuilder sql = new SqlBuilder().append("SELECT day_index, phone_number, count(*) AS calls,"
                + " sum(CASE WHEN direction = 'inbound' THEN 1 ELSE 0 END) AS inbound,"
                + " sum(CASE WHEN direction = 'outbound' THEN 1 ELSE 0 END) AS outbound,"
                + " sum(coalesce(duration_ms, 0)) AS duration_ms FROM (SELECT ");
        UsageSql.dayIndex(sql, store.dialect(), range)
                .append(" AS day_index, phone_number, direction, duration_ms FROM calls")
                .append(" WHERE tenant_id = ").value(tenantId)
                .append(" AND status IN ").values(FINAL_STATUSES)
                .append(" AND ended_ms IS NOT NULL")
                .append(" AND time_ms >= ").value(range.startMs())
                .append(" AND time_ms < ").value(range.endMsExclusive())
                .append(") AS finished GROUP BY day_index, phone_number")
                .append(" ORDER BY day_index, phone_number ASC NULLS LAST");
        return sql;
    }

    private PhoneUsageReport report(DateRange range, SqlBuilder sql) {
        long calls = 0;
        long inbound = 0;
        long outbound = 0;
        long durationMs = 0;
        List<PhoneUsageReport.Row> rows = new ArrayList<>();
        for (Row row : store.query(sql.build())) {
            calls += row.longValue("calls");
            inbound += row.longValue("inbound");
            outbound += row.longValue("outbound");
            durationMs += row.longValue("duration_ms");
            rows.add(new PhoneUsageReport.Row(UsageSql.day(range, row.longValue("day_index")),
                    row.string("phone_number"), row.longValue("inbound"), row.longValue("outbound"),
                    Decimals.roundedSeconds(row.longValue("duration_ms"))));
        }
        return new PhoneUsageReport(range.from(), range.to(), calls, inbound, outbound,
                Decimals.roundedSeconds(durationMs), rows);
    }
}
