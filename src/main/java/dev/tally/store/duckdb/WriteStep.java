package dev.tally.store.duckdb;

/** The steps of one DuckDB write, in order: the places where a test makes a write fail. */
public enum WriteStep {
    /** The transaction has begun; nothing is written yet. */
    BEGUN,
    /** The stored events that corrections replace are deleted from {@code events}; nothing is appended yet. */
    EVENTS_DELETED,
    /** The new events and corrections are appended to {@code events}. */
    EVENTS_APPENDED,
    /** The calls' new states are in {@code calls}, their older states deleted. */
    CALLS_WRITTEN,
    /** One rollup table has taken its deltas; more may follow. */
    ROLLUP_TABLE_APPENDED,
    /** Every rollup table, the member usage one included, has taken its deltas. */
    ROLLUPS_APPENDED,
    /** An erasure has replaced the identifier in one table; more may follow before its commit. */
    ERASURE_TABLE_REWRITTEN,
    /** Retention has deleted a tenant's old rows from one raw table; more may follow before its commit. */
    RETENTION_TABLE_DELETED,
    /** The groups listed with stale extremes are rebuilt, and their listing emptied, before the commit. */
    STALE_EXTREMES_REBUILT,
    /** In place of the commit: a commit that fails. */
    COMMIT,
    /** After the commit, as if the commit's answer was lost: the rows are stored, the caller hears a failure. */
    COMMITTED
}
