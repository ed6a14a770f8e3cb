package dev.tally.ingest;

import dev.tally.event.Event;
import java.util.List;

/**
 * What a batch does to a store: each event's outcome, the event rows to append with their
 * fingerprints and the stored rows they replace, and the call states to write, each with the
 * stored state it replaces.
 *
 * @param newEvents         the (non-call) events to append: new ones and corrections, one per (tenant, id)
 * @param replacedEvents    position by position with {@code newEvents}: the stored event a correction
 *                          replaces, to be taken out of the raw table and every rollup; null for a new event
 * @param <E> the store's record of a stored event
 * @param <C> the store's record of a stored call state
 */
public record WritePlan<E, C>(List<WriteOutcome> outcomes, List<Event> newEvents, long[] newEventFingerprints,
                              List<E> replacedEvents, List<CallWrite<C>> calls) {
    /** A call's latest state in the batch and the stored state it replaces (null for a new call). */
    public record CallWrite<C>(Event state, long fingerprint, C replaced) {
    }

    /** Whether any event of the batch replaces a stored one (not counting calls). */
    public boolean replacesEvents() {
        for (E replaced : replacedEvents) {
            if (replaced != null) {
                return true;
            }
        }
        return false;
    }
}
