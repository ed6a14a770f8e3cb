package dev.tally.store.clickhouse;

/**
 * The steps of one ClickHouse erasure pass, in order: the places where a test makes an erasure
 * fail. Nothing is recorded as erased before the last; submitting the erasure again finishes it.
 */
public enum ClickHouseErasureStep {
    /** The rows keyed by the identifier (a call, a member's chat owners) are copied under the pseudonym. */
    KEYED_ROWS_COPIED,
    /** The mutations have rewritten every column and removed the copied originals. */
    REWRITTEN,
    /** The member usage rows and the call's tombstones are gone; the subject is not recorded yet. */
    REMOVED
}
