package dev.tally.report.usage;

import dev.tally.event.EventType;
import dev.tally.concurrent.Beside;
import dev.tally.report.DateRange;
import dev.tally.store.ReportStore;
import dev.tally.store.rollup.Rollups;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.SqlBuilder;
import java.util.function.Supplier;

/** Computes the SMS usage report: {@code sms} events summed per UTC day and workspace number. */
public final class SmsUsageQuery {
    private final ReportStore store;

    public SmsUsageQuery(ReportStore store) {
        this.store = store;
    }

    public SmsUsageReport run(String tenantId, DateRange range) {
        // two questions over one range: the store reads what it needs to know of the range once, and both run at once
        ReportStore store = this.store.session(tenantId, range.startMs(), range.endMsExclusive());
        Supplier<Long> unpriced = Beside.start(() -> unpriced(store, tenantId, range));
        SqlBuilder sql = new SqlBuilder().append("SELECT " + UsageSql.rollupDayIndex(range) + " AS day_index,"
                + " phone_number,"
                + " sum(CASE WHEN direction = 'inbound' THEN events ELSE 0 END) AS inbound,"
                + " sum(CASE WHEN direction = 'outbound' THEN events ELSE 0 END) AS outbound,"
                + " sum(CASE WHEN direction = 'inbound' THEN segments ELSE 0 END) AS inbound_segments,"
                + " sum(CASE WHEN direction = 'outbound' THEN segments ELSE 0 END) AS outbound_segments,"
                + " sum(characters) AS character_count");
        UsageSql.fromRollup(sql, store, Rollups.EVENTS, tenantId, range).append(" AND type = ")
                .value(EventType.SMS.wireName());
        sql.append(" GROUP BY day, phone_number HAVING sum(events) <> 0 ORDER BY day, phone_number ASC NULLS LAST");
        return report(store, range, sql, unpriced.get());
    }

    /** Messages no price entry priced: the usage-by-model rollup keys them, the per-number one does not. */
    private static long unpriced(ReportStore store, String tenantId, DateRange range) {
        SqlBuilder sql = new SqlBuilder().append("SELECT sum(CASE WHEN unpriced = 1 THEN events ELSE 0 END)"
                + " AS unpriced_count");
        UsageSql.fromRollup(sql, store, Rollups.USAGE_BY_MODEL, tenantId, range).append(" AND type = ")
                .value(EventType.SMS.wireName());
        return store.query(sql.build()).stream().findFirst()
                .map(row -> row.get("unpriced_count") == null ? 0L : row.longValue("unpriced_count")).orElse(0L);
    }

    private static SmsUsageReport report(ReportStore store, DateRange range, SqlBuilder sql, long unpriced) {
        return SmsUsageReport.of(range.from(), range.to(), unpriced, store.query(sql.build()).stream()
                .map(row -> new SmsUsageReport.Row(UsageSql.day(range, row.longValue("day_index")),
                        row.string("phone_number"), row.longValue("inbound"), row.longValue("outbound"),
                        row.longValue("inbound_segments"), row.longValue("outbound_segments"),
                        row.longValue("character_count")))
                .toList());
    }
}
