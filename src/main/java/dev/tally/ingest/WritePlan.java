package dev.tally.ingest;

import dev.tally.event.Event;
import java.util.List;

/**
 * What a batch does to a store: each event's outcome, the events to append with their
 * fingerprints, and the call states to write, each with the stored state it replaces.
 *
 * @param <C> the store's record of a stored call state
 */
public record WritePlan<C>(List<WriteOutcome> outcomes, List<Event> newEvents, long[] newEventFingerprints,
                           List<CallWrite<C>> calls) {
    /** A call's latest state in the batch and the stored state it replaces (null for a new call). */
    public record CallWrite<C>(Event state, long fingerprint, C replaced) {
    }
}
