package dev.tally.ingest;

/** What a store did with one event of a batch. */
public enum WriteOutcome {
    /** Newly stored. */
    STORED,
    /** This (tenant, id) was already stored; nothing changed. */
    DUPLICATE,
    /** A {@code call} event that replaced the call's older state. */
    UPDATED,
    /** A {@code call} event older than what is stored (in progress after a final status); ignored. */
    STALE,
    /**
     * This event made the store's write fail while the rest of its batch could be stored; it was
     * not stored. Decided by the writer, never by a store.
     */
    REJECTED
}
