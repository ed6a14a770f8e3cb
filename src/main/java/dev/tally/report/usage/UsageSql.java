package dev.tally.report.usage;

import dev.tally.report.DateRange;
import dev.tally.store.ReportStore;
import dev.tally.store.rollup.RollupRead;
import dev.tally.store.rollup.RollupTable;
import dev.tally.store.sql.SqlBuilder;
import java.time.LocalDate;

/** The SQL pieces every usage report shares: one tenant, one date range, UTC days. */
final class UsageSql {
    private static final long DAY_MS = 86_400_000L;

    private UsageSql() {
    }

    /** {@code FROM} a rollup's rows for the tenant and the range's UTC days, then {@code WHERE 1 = 1}. */
    static SqlBuilder fromRollup(SqlBuilder sql, ReportStore store, RollupTable table, String tenantId,
                                 DateRange range) {
        RollupRead read = RollupRead.of(table, tenantId, range.startMs(), range.endMsExclusive());
        return sql.append(" FROM ").append(store.rollup(read)).append(" AS usage_rows WHERE 1 = 1");
    }

    /** A rollup day as the index within the range, like {@link #dayIndex} gives for raw rows. */
    static String rollupDayIndex(DateRange range) {
        return "(day - " + range.from().toEpochDay() + ")";
    }

    static LocalDate day(DateRange range, long dayIndex) {
        return range.from().plusDays(dayIndex);
    }
}
