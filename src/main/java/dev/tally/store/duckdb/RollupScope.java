package dev.tally.store.duckdb;

import dev.tally.store.rollup.RollupTable;

/**
 * Which rollup rows a check recomputes: every row, or those of the (tenant, UTC day) pairs listed
 * in the temporary table {@code rollup_check_scope}. A rollup row's slot and a raw row's
 * {@code time_ms} fall in the same day exactly when the raw row counts in that rollup row.
 */
enum RollupScope {
    /** Every row: what a fold rewrites. */
    EVERYTHING,
    /** Every row of the days whose raw rows are kept: what a check can recompute. */
    KEPT_DAYS,
    /** The listed days, those whose raw rows are kept. */
    LISTED_DAYS;

    static final String TABLE = "rollup_check_scope";

    /** A condition to append to a WHERE clause over a raw table (or its alias). */
    String rawRows(String alias) {
        return switch (this) {
            case EVERYTHING -> "";
            case KEPT_DAYS -> DuckDbRetention.kept(alias, alias + ".time_ms");
            case LISTED_DAYS -> " AND EXISTS (SELECT 1 FROM " + TABLE + " scope WHERE scope.tenant_id = " + alias
                    + ".tenant_id AND scope.day = " + DuckDbRollups.day(alias + ".time_ms") + ")"
                    + DuckDbRetention.kept(alias, alias + ".time_ms");
        };
    }

    /** The same over a rollup table, whose rows hold a slot of the table's grain. */
    String rollupRows(String table, RollupTable.Grain grain) {
        return switch (this) {
            case EVERYTHING -> "";
            case KEPT_DAYS -> DuckDbRetention.kept(table, slotStart(table + "." + grain.column(), grain));
            case LISTED_DAYS -> " AND EXISTS (SELECT 1 FROM " + TABLE + " scope WHERE scope.tenant_id = " + table
                    + ".tenant_id AND scope.day = " + daySlot(table + "." + grain.column(), grain) + ")"
                    + DuckDbRetention.kept(table, slotStart(table + "." + grain.column(), grain));
        };
    }

    /** The first millisecond of a slot. */
    private static String slotStart(String column, RollupTable.Grain grain) {
        return switch (grain) {
            case DAY -> column + " * 86400000";
            case HOUR -> column + " * 3600000";
        };
    }

    private static String daySlot(String column, RollupTable.Grain grain) {
        return switch (grain) {
            case DAY -> column;
            case HOUR -> DuckDbRollups.floorDivision(column, 24);
        };
    }
}
