package dev.tally.store.duckdb;

import dev.tally.store.rollup.RollupTable;

/**
 * Which rollup rows a check recomputes: every row, or those of the (tenant, UTC day) pairs listed
 * in the temporary table {@code rollup_check_scope}. A rollup row's slot and a raw row's
 * {@code time_ms} fall in the same day exactly when the raw row counts in that rollup row.
 */
enum RollupScope {
    EVERYTHING,
    LISTED_DAYS;

    static final String TABLE = "rollup_check_scope";

    /** A condition to append to a WHERE clause over a raw table (or its alias). */
    String rawRows(String alias) {
        return switch (this) {
            case EVERYTHING -> "";
            case LISTED_DAYS -> " AND EXISTS (SELECT 1 FROM " + TABLE + " scope WHERE scope.tenant_id = " + alias
                    + ".tenant_id AND scope.day = " + DuckDbRollups.day(alias + ".time_ms") + ")";
        };
    }

    /** The same over a rollup table, whose rows hold a slot of the table's grain. */
    String rollupRows(String table, RollupTable.Grain grain) {
        return switch (this) {
            case EVERYTHING -> "";
            case LISTED_DAYS -> " AND EXISTS (SELECT 1 FROM " + TABLE + " scope WHERE scope.tenant_id = " + table
                    + ".tenant_id AND scope.day = " + daySlot(table + "." + grain.column(), grain) + ")";
        };
    }

    private static String daySlot(String column, RollupTable.Grain grain) {
        return switch (grain) {
            case DAY -> column;
            case HOUR -> DuckDbRollups.floorDivision(column, 24);
        };
    }
}
