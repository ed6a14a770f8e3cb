package dev.tally.store.sql;

/**
 * The raw tables every store keeps. Report SQL never names them itself: it asks the store for a
 * reference ({@code ReportStore.table}), which each store renders so that every (tenant, id) is
 * read once; ClickHouse adds {@code FINAL}, DuckDB keeps one row per id already.
 */
public enum RawTable {
    /** Every event but calls, one row each. */
    EVENTS("events"),
    /** One row per call: its latest state. */
    CALLS("calls");

    private final String tableName;

    RawTable(String tableName) {
        this.tableName = tableName;
    }

    public String tableName() {
        return tableName;
    }
}
