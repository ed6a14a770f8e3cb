package dev.tally.report.usage;

import dev.tally.event.CallStatus;
import dev.tally.report.DateRange;
import dev.tally.store.ReportStore;
import dev.tally.store.rollup.Rollups;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.SqlBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Computes the phone usage report from the calls-by-phone rollup (each call's latest state).
 * Only finished calls count, with an end time, bucketed on the UTC day they started.
 */
public final class PhoneUsageQuery {
    private static final List<String> FINAL_STATUSES = Arrays.stream(CallStatus.values())
            .filter(CallStatus::isFinal).map(CallStatus::wireName).toList();

    private final ReportStore store;

    public PhoneUsageQuery(ReportStore store) {
        this.store = store;
    }

    public PhoneUsageReport run(String tenantId, DateRange range) {
        SqlBuilder sql = new SqlBuilder().append("SELECT " + UsageSql.rollupDayIndex(range) + " AS day_index,"
                + " phone_number, sum(calls) AS call_count,"
                + " sum(CASE WHEN direction = 'inbound' THEN calls ELSE 0 END) AS inbound,"
                + " sum(CASE WHEN direction = 'outbound' THEN calls ELSE 0 END) AS outbound,"
                + " sum(duration_ms) AS duration_sum");
        UsageSql.fromRollup(sql, store, Rollups.CALLS_BY_PHONE, tenantId, range)
                .append(" AND status IN ").values(FINAL_STATUSES).append(" AND ended = 1")
                .append(" GROUP BY day, phone_number HAVING sum(calls) <> 0 ORDER BY day, phone_number ASC NULLS LAST");
        return report(range, sql);
    }

    private PhoneUsageReport report(DateRange range, SqlBuilder sql) {
        long calls = 0;
        long inbound = 0;
        long outbound = 0;
        long durationMs = 0;
        List<PhoneUsageReport.Row> rows = new ArrayList<>();
        for (Row row : store.query(sql.build())) {
            calls += row.longValue("call_count");
            inbound += row.longValue("inbound");
            outbound += row.longValue("outbound");
            durationMs += row.longValue("duration_sum");
            rows.add(new PhoneUsageReport.Row(UsageSql.day(range, row.longValue("day_index")),
                    row.string("phone_number"), row.longValue("inbound"), row.longValue("outbound"),
                    Decimals.roundedSeconds(row.longValue("duration_sum"))));
        }
        return new PhoneUsageReport(range.from(), range.to(), calls, inbound, outbound,
                Decimals.roundedSeconds(durationMs), rows);
    }
}
