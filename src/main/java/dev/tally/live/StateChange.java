package dev.tally.live;

/** What a lifecycle event did to live state. */
public enum StateChange {
    /** First sight of the event: it was counted. */
    NEW,
    /** The event id was seen before (or the call is already in that state): the original answer, nothing counted. */
    DUPLICATE,
    /** Admission of a call id that already holds a slot, under another event id. */
    CALL_ACTIVE,
    /** Start or end of a call id that holds no slot and did not end recently. */
    UNKNOWN_CALL
}
