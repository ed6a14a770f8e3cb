package dev.tally.store.clickhouse;

/**
 * The steps of one ClickHouse retention run, in order: the places where a test makes a run fail.
 * Every step can be run again, so a failed run is finished by the next one, and no step before
 * the last takes a total from a report.
 */
public enum ClickHouseRetentionStep {
    /** The tenant's hours before the horizon are recomputed from raw rows that are all still there. */
    ROLLUPS_RECOMPUTED,
    /** The horizon is recorded: those hours are read from their rollups only, and never recomputed. */
    HORIZON_RECORDED,
    /** One node's rows of one raw table are deleted (reached once per table and node). */
    TABLE_DELETED
}
