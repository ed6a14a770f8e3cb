package dev.tally.tenant;

import java.util.OptionalLong;

/**
 * How long a tenant's raw events are kept: whole UTC days. The horizon is the start of the UTC day
 * {@code retention_days} before today; raw events before it are deleted on a schedule, and events
 * sent with an earlier time are refused, because whether they were stored already can no longer
 * be checked. Aggregates (rollups, the call-cost rows) keep every day.
 */
public final class Retention {
    public static final int MAX_DAYS = 36_500;
    private static final long DAY_MS = 86_400_000L;

    private Retention() {
    }

    /** The first instant whose raw events the tenant still holds at {@code nowMs}; empty when it keeps them forever. */
    public static OptionalLong horizonMs(Tenant tenant, long nowMs) {
        if (tenant.retentionDays() == null) {
            return OptionalLong.empty();
        }
        return OptionalLong.of((Math.floorDiv(nowMs, DAY_MS) - tenant.retentionDays()) * DAY_MS);
    }
}
