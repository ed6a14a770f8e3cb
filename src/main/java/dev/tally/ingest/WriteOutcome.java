package dev.tally.ingest;

/** What a store did with one event of a batch. */
public enum WriteOutcome {
    /** Newly stored. */
    STORED,
    /** This (tenant, id) was already stored at the same revision; nothing changed. */
    DUPLICATE,
    /**
     * Replaced what was stored: a {@code call}'s newer state, or any event sent again with a higher
     * {@code revision} (a late correction), which replaces the stored one in every report.
     */
    UPDATED,
    /** A {@code call} event older than what is stored (in progress after a final status); ignored. */
    STALE,
    /** An event whose {@code revision} is lower than the stored one's: the stored one stays; ignored. */
    STALE_REVISION,
    /** A higher revision of a stored event with another {@code type}: a correction keeps its type; not stored. */
    TYPE_CHANGED,
    /**
     * This event made the store's write fail while the rest of its batch could be stored; it was
     * not stored. Decided by the writer, never by a store.
     */
    REJECTED
}
