package dev.tally.ingest;

import dev.tally.event.CallStatus;
import dev.tally.event.Event;
import dev.tally.event.EventType;
import dev.tally.ingest.dedup.IdFingerprint;
import dev.tally.ingest.dedup.LongHashSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The write rules every store shares, in one place: an event whose (tenant, id) is stored, or
 * repeated earlier in its batch, is a duplicate; a call is stored by state, its latest state in
 * the batch replaces the stored one, and a final status never reverts to in progress. Stores only
 * answer {@link StoredState} lookups and append what the plan says.
 */
public final class WritePlanner {
    private WritePlanner() {
    }

    public static <C> WritePlan<C> plan(List<Event> events, StoredState<C> stored) {
        WriteOutcome[] outcomes = new WriteOutcome[events.size()];
        // One fingerprint per event, computed once: the dedup key, the stored id_hash and the
        // in-memory filter's entry.
        long[] fingerprintOf = new long[events.size()];
        for (int index = 0; index < events.size(); index++) {
            fingerprintOf[index] = IdFingerprint.of(events.get(index).tenantId, events.get(index).id);
        }
        List<Event> newEvents = new ArrayList<>(events.size());
        long[] newFingerprints = newEvents(events, fingerprintOf, stored, outcomes, newEvents);
        List<WritePlan.CallWrite<C>> calls = callWrites(events, fingerprintOf, stored, outcomes);
        return new WritePlan<>(List.of(outcomes), newEvents, newFingerprints, calls);
    }

    private static <C> long[] newEvents(List<Event> events, long[] fingerprintOf, StoredState<C> stored,
                                        WriteOutcome[] outcomes, List<Event> newEvents) {
        Map<String, Set<String>> candidates = new HashMap<>();
        for (int index = 0; index < events.size(); index++) {
            Event event = events.get(index);
            if (event.type != EventType.CALL && stored.mayHoldEvent(fingerprintOf[index])) {
                candidates.computeIfAbsent(event.tenantId, tenant -> new HashSet<>()).add(event.id);
            }
        }
        Set<EventKey> storedKeys = candidates.isEmpty() ? Set.of() : stored.storedEvents(candidates);
        boolean[] repeated = repeatedInBatch(events, fingerprintOf);
        long[] added = new long[events.size()];
        int addedCount = 0;
        for (int index = 0; index < events.size(); index++) {
            Event event = events.get(index);
            if (event.type == EventType.CALL) {
                continue;
            }
            if (repeated[index] || (!storedKeys.isEmpty() && storedKeys.contains(new EventKey(event.tenantId, event.id)))) {
                outcomes[index] = WriteOutcome.DUPLICATE;
                continue;
            }
            newEvents.add(event);
            added[addedCount++] = fingerprintOf[index];
            outcomes[index] = WriteOutcome.STORED;
        }
        return Arrays.copyOf(added, addedCount);
    }

    /**
     * Which non-call events repeat a (tenant, id) seen earlier in the same batch. Fingerprints
     * answer for the common batch without repeats; only events whose fingerprint occurs twice are
     * compared by their real (tenant, id), so a fingerprint collision never makes a duplicate.
     */
    private static boolean[] repeatedInBatch(List<Event> events, long[] fingerprintOf) {
        boolean[] repeated = new boolean[events.size()];
        LongHashSet seen = new LongHashSet(Math.max(16, events.size()));
        LongHashSet seenTwice = null;
        for (int index = 0; index < events.size(); index++) {
            if (events.get(index).type != EventType.CALL && !seen.add(fingerprintOf[index])) {
                if (seenTwice == null) {
                    seenTwice = new LongHashSet(16);
                }
                seenTwice.add(fingerprintOf[index]);
            }
        }
        if (seenTwice == null) {
            return repeated;
        }
        Set<EventKey> keys = new HashSet<>();
        for (int index = 0; index < events.size(); index++) {
            Event event = events.get(index);
            if (event.type != EventType.CALL && seenTwice.contains(fingerprintOf[index])) {
                repeated[index] = !keys.add(new EventKey(event.tenantId, event.id));
            }
        }
        return repeated;
    }

    /** Applies call states in batch order; returns each call's latest state with what it replaces. */
    private static <C> List<WritePlan.CallWrite<C>> callWrites(List<Event> events, long[] fingerprintOf,
                                                                StoredState<C> stored, WriteOutcome[] outcomes) {
        Map<String, Set<String>> candidates = new HashMap<>();
        for (int index = 0; index < events.size(); index++) {
            Event event = events.get(index);
            if (event.type == EventType.CALL && stored.mayHoldCall(fingerprintOf[index])) {
                candidates.computeIfAbsent(event.tenantId, tenant -> new HashSet<>()).add(event.id);
            }
        }
        Map<EventKey, C> storedCalls = candidates.isEmpty() ? Map.of() : stored.storedCalls(candidates);
        Map<EventKey, Integer> latest = new LinkedHashMap<>();
        for (int index = 0; index < events.size(); index++) {
            Event event = events.get(index);
            if (event.type != EventType.CALL) {
                continue;
            }
            EventKey key = new EventKey(event.tenantId, event.id);
            Integer inBatch = latest.get(key);
            C before = storedCalls.get(key);
            String currentStatus = inBatch != null ? events.get(inBatch).status
                    : before == null ? null : stored.status(before);
            if (currentStatus == null) {
                outcomes[index] = WriteOutcome.STORED;
            } else if (CallStatus.isFinal(currentStatus) && !event.isFinalCall()) {
                outcomes[index] = WriteOutcome.STALE;
                continue;
            } else {
                outcomes[index] = WriteOutcome.UPDATED;
            }
            latest.put(key, index);
        }
        List<WritePlan.CallWrite<C>> writes = new ArrayList<>(latest.size());
        latest.forEach((key, index) -> writes.add(
                new WritePlan.CallWrite<>(events.get(index), fingerprintOf[index], storedCalls.get(key))));
        return writes;
    }
}
