package dev.tally.report.usage;

import dev.tally.event.EventType;
import dev.tally.report.DateRange;
import dev.tally.store.SqlBuilder;
import dev.tally.store.SqlDialect;
import java.time.LocalDate;

/** The SQL pieces every usage report shares: one tenant, one event type, one date range, UTC days. */
final class UsageSql {
    private static final long DAY_MS = 86_400_000L;

    private UsageSql() {
    }

    /** {@code FROM events WHERE} the tenant, the type and the range: every report query is scoped by these first. */
    static SqlBuilder fromEvents(SqlBuilder sql, String tenantId, EventType type, DateRange range) {
        return sql.append(" FROM events WHERE tenant_id = ").value(tenantId)
                .append(" AND type = ").value(type.wireName())
                .append(" AND time_ms >= ").value(range.startMs())
                .append(" AND time_ms < ").value(range.endMsExclusive());
    }

    /** {@code FROM} a rollup table {@code WHERE} the tenant and the range's UTC days; the type when given. */
    static SqlBuilder fromRollup(SqlBuilder sql, String table, String tenantId, EventType type, DateRange range) {
        sql.append(" FROM " + table + " WHERE tenant_id = ").value(tenantId);
        if (type != null) {
            sql.append(" AND type = ").value(type.wireName());
        }
        return sql.append(" AND day >= ").value(range.from().toEpochDay())
                .append(" AND day <= ").value(range.to().toEpochDay());
    }

    /** A rollup day as the index within the range, like {@link #dayIndex} gives for raw rows. */
    static String rollupDayIndex(DateRange range) {
        return "(day - " + range.from().toEpochDay() + ")";
    }

    /**
     * Appends the index of the UTC day of {@code time_ms} within the range (0 for its first day).
     * Integer arithmetic relative to the range's first midnight rather than an engine date
     * function, so the same SQL runs on every store.
     */
    static SqlBuilder dayIndex(SqlBuilder sql, SqlDialect dialect, DateRange range) {
        String[] parts = dialect.integerDivide("time_ms - ?", "?").split("\\?", -1);
        if (parts.length != 3) {
            throw new IllegalStateException("the dialect's integer division must keep both placeholders");
        }
        return sql.append(parts[0]).value(range.startMs()).append(parts[1]).value(DAY_MS).append(parts[2]);
    }

    static LocalDate day(DateRange range, long dayIndex) {
        return range.from().plusDays(dayIndex);
    }
}
