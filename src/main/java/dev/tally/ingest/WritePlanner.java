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
 * repeated earlier in its batch, is a duplicate, unless it carries a higher {@code revision}: then it
 * replaces the stored one (a late correction), provided it keeps its type. A lower revision is
 * stale, an equal one a duplicate. Several revisions of one id in a batch are taken in batch order,
 * so the highest stands whatever the order, and each is answered as if sent alone in that order.
 * A call is stored by state: at an equal revision its latest state in the batch replaces the stored
 * one and a final status never reverts to in progress; a higher revision replaces it whatever its
 * status. Stores only answer {@link StoredState} lookups and write what the plan says.
 */
public final class WritePlanner {
    private WritePlanner() {
    }

    public static <E, C> WritePlan<E, C> plan(List<Event> events, StoredState<E, C> stored) {
        WriteOutcome[] outcomes = new WriteOutcome[events.size()];
        // One fingerprint per event, computed once: the dedup key, the stored id_hash and the
        // in-memory filter's entry.
        long[] fingerprintOf = new long[events.size()];
        for (int index = 0; index < events.size(); index++) {
            fingerprintOf[index] = IdFingerprint.of(events.get(index).tenantId, events.get(index).id);
        }
        EventWrites<E> writes = eventWrites(events, fingerprintOf, stored, outcomes);
        List<WritePlan.CallWrite<C>> calls = callWrites(events, fingerprintOf, stored, outcomes);
        return new WritePlan<>(List.of(outcomes), writes.events, writes.fingerprints, writes.replaced, calls);
    }

    /** The non-call rows a batch writes, in batch order, with their fingerprints and what they replace. */
    private record EventWrites<E>(List<Event> events, long[] fingerprints, List<E> replaced) {
    }

    /**
     * Decides each non-call event. The common event, neither stored nor repeated in its batch, is
     * stored without a map entry; only ids that are stored or repeat (by fingerprint) are followed
     * by their real (tenant, id), so a fingerprint collision never makes a duplicate.
     */
    private static <E, C> EventWrites<E> eventWrites(List<Event> events, long[] fingerprintOf,
                                                     StoredState<E, C> stored, WriteOutcome[] outcomes) {
        Map<String, Set<String>> candidates = new HashMap<>();
        // the stored events found are among these, so the others are not looked for by their (tenant, id)
        boolean[] mayBeStored = new boolean[events.size()];
        for (int index = 0; index < events.size(); index++) {
            Event event = events.get(index);
            if (event.type != EventType.CALL && stored.mayHoldEvent(fingerprintOf[index])) {
                mayBeStored[index] = true;
                candidates.computeIfAbsent(event.tenantId, tenant -> new HashSet<>()).add(event.id);
            }
        }
        Map<EventKey, E> storedEvents = candidates.isEmpty() ? Map.of() : stored.storedEvents(candidates);
        LongHashSet repeatedFingerprints = repeatedInBatch(events, fingerprintOf);
        boolean[] written = new boolean[events.size()];
        // for the followed ids: the index of the batch event that stands so far
        Map<EventKey, Integer> standing = new HashMap<>();
        for (int index = 0; index < events.size(); index++) {
            Event event = events.get(index);
            if (event.type == EventType.CALL) {
                continue;
            }
            boolean followed = repeatedFingerprints != null && repeatedFingerprints.contains(fingerprintOf[index])
                    || mayBeStored[index] && storedEvents.containsKey(new EventKey(event.tenantId, event.id));
            if (!followed) {
                outcomes[index] = WriteOutcome.STORED;
                written[index] = true;
                continue;
            }
            EventKey key = new EventKey(event.tenantId, event.id);
            Integer before = standing.get(key);
            E storedEvent = storedEvents.get(key);
            if (before == null && storedEvent == null) {
                outcomes[index] = WriteOutcome.STORED;
                standing.put(key, index);
                continue;
            }
            long revision = before != null ? events.get(before).revision : stored.revision(storedEvent);
            EventType type = before != null ? events.get(before).type : stored.type(storedEvent);
            if (event.revision > revision) {
                if (event.type != type) {
                    outcomes[index] = WriteOutcome.TYPE_CHANGED;
                    continue;
                }
                outcomes[index] = WriteOutcome.UPDATED;
                standing.put(key, index);
            } else {
                outcomes[index] = event.revision == revision ? WriteOutcome.DUPLICATE : WriteOutcome.STALE_REVISION;
            }
        }
        standing.values().forEach(index -> written[index] = true);
        List<Event> rows = new ArrayList<>(events.size());
        List<E> replaced = new ArrayList<>(events.size());
        long[] fingerprints = new long[events.size()];
        for (int index = 0; index < events.size(); index++) {
            if (written[index]) {
                Event event = events.get(index);
                fingerprints[rows.size()] = fingerprintOf[index];
                rows.add(event);
                replaced.add(mayBeStored[index] ? storedEvents.get(new EventKey(event.tenantId, event.id)) : null);
            }
        }
        return new EventWrites<>(rows, Arrays.copyOf(fingerprints, rows.size()), replaced);
    }

    /**
     * The fingerprints that occur more than once among a batch's non-call events, or null for the
     * common batch without repeats.
     */
    private static LongHashSet repeatedInBatch(List<Event> events, long[] fingerprintOf) {
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
        return seenTwice;
    }

    /** Applies call states in batch order; returns each call's latest state with what it replaces. */
    private static <E, C> List<WritePlan.CallWrite<C>> callWrites(List<Event> events, long[] fingerprintOf,
                                                                   StoredState<E, C> stored, WriteOutcome[] outcomes) {
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
            long currentRevision = inBatch != null ? events.get(inBatch).revision
                    : before == null ? 0 : stored.callRevision(before);
            if (currentStatus == null) {
                outcomes[index] = WriteOutcome.STORED;
            } else if (event.revision != currentRevision) {
                // a correction replaces the call whatever its status; an older revision changes nothing
                if (event.revision < currentRevision) {
                    outcomes[index] = WriteOutcome.STALE_REVISION;
                    continue;
                }
                outcomes[index] = WriteOutcome.UPDATED;
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
