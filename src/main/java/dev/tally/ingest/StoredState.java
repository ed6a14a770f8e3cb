package dev.tally.ingest;

import dev.tally.event.EventType;
import java.util.Map;
import java.util.Set;

/**
 * What the write planner asks a store about what it holds. Stores answer; the planner decides.
 *
 * @param <E> the store's record of a stored (non-call) event: whatever it needs to take that event
 *            out when a higher revision replaces it (the row to take out of rollups, its time)
 * @param <C> the store's record of a call's stored state: whatever it needs to replace that state
 *            (the row to take out of rollups, a version to write above)
 */
public interface StoredState<E, C> {
    /**
     * False only when no event with this {@link dev.tally.ingest.dedup.IdFingerprint} is stored: a
     * store that keeps the fingerprints it holds in memory spares the lookup for new ids. A store
     * without such a filter answers true.
     */
    boolean mayHoldEvent(long fingerprint);

    /** Of these ids, by tenant, the ones stored as (non-call) events, each with the store's record of it. */
    Map<EventKey, E> storedEvents(Map<String, Set<String>> idsByTenant);

    /** The type a stored event was stored with: a correction must keep it. */
    EventType type(E event);

    /** The revision a stored event was stored with. */
    long revision(E event);

    /** As {@link #mayHoldEvent}, for call states. */
    boolean mayHoldCall(long fingerprint);

    /** The stored state of each of these calls, by tenant, that has one. */
    Map<EventKey, C> storedCalls(Map<String, Set<String>> idsByTenant);

    /** The status of a stored call state, as the wire names it. */
    String status(C call);

    /** The revision of a stored call state. */
    long callRevision(C call);
}
