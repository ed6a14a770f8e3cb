package dev.tally.store.clickhouse;

/**
 * The steps of one ClickHouse write, in order (calls beside the events): the places where a test
 * makes a write fail. ClickHouse has no transaction across them; a retry must still count once.
 */
public enum ClickHouseWriteStep {
    /** The batch is looked up and its rows rendered; nothing is written. */
    PLANNED,
    /**
     * The batch's (tenant, hour)s are marked for recomputation, with its chat references, call
     * intents and id announcements; no row is in.
     */
    MARKED,
    /** The calls' new start times are recorded as intents in {@code call_states}; no call row is in. */
    CALL_INTENTS_RECORDED,
    /** The new events are in {@code events}, and their ids in {@code event_ids} with them. */
    EVENTS_INSERTED,
    /** The calls' new states are in {@code calls}. */
    CALLS_INSERTED,
    /** The calls' new states are recorded as landed in {@code call_states}. */
    CALL_STATES_RECORDED,
    /** Everything is in, as if the answer was lost: the rows are stored, the caller hears a failure. */
    WRITTEN
}
