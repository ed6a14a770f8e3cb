package dev.tally.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.event.Event;
import dev.tally.event.EventType;
import dev.tally.ingest.dedup.IdFingerprint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The write rules every store shares, checked against a store held in two maps. */
class WritePlannerTest {
    /** A store written by hand: what it holds, and which ids it was asked about. */
    private static final class MapState implements StoredState<Event> {
        final Set<EventKey> events = new HashSet<>();
        final Map<EventKey, Event> calls = new HashMap<>();
        final Set<Long> filter = new HashSet<>();
        final List<String> askedEvents = new ArrayList<>();
        final List<String> askedCalls = new ArrayList<>();
        boolean filtering;

        void holdEvent(String tenant, String id) {
            events.add(new EventKey(tenant, id));
            filter.add(IdFingerprint.of(tenant, id));
        }

        void holdCall(Event call) {
            calls.put(new EventKey(call.tenantId, call.id), call);
            filter.add(IdFingerprint.of(call.tenantId, call.id));
        }

        @Override
        public boolean mayHoldEvent(long fingerprint) {
            return !filtering || filter.contains(fingerprint);
        }

        @Override
        public Set<EventKey> storedEvents(Map<String, Set<String>> idsByTenant) {
            Set<EventKey> found = new HashSet<>();
            idsByTenant.forEach((tenant, ids) -> ids.forEach(id -> {
                askedEvents.add(tenant + "/" + id);
                if (events.contains(new EventKey(tenant, id))) {
                    found.add(new EventKey(tenant, id));
                }
            }));
            return found;
        }

        @Override
        public boolean mayHoldCall(long fingerprint) {
            return mayHoldEvent(fingerprint);
        }

        @Override
        public Map<EventKey, Event> storedCalls(Map<String, Set<String>> idsByTenant) {
            Map<EventKey, Event> found = new HashMap<>();
            idsByTenant.forEach((tenant, ids) -> ids.forEach(id -> {
                askedCalls.add(tenant + "/" + id);
                Event call = calls.get(new EventKey(tenant, id));
                if (call != null) {
                    found.put(new EventKey(tenant, id), call);
                }
            }));
            return found;
        }

        @Override
        public String status(Event call) {
            return call.status;
        }
    }

    private static Event event(String tenant, String id) {
        Event event = new Event();
        event.tenantId = tenant;
        event.id = id;
        event.type = EventType.LLM;
        return event;
    }

    private static Event call(String tenant, String id, String status) {
        Event event = new Event();
        event.tenantId = tenant;
        event.id = id;
        event.type = EventType.CALL;
        event.status = status;
        return event;
    }

    @Test
    void storedIdsAndRepeatsWithinTheBatchAreDuplicatesAndIdsAreScopedToTheirTenant() {
        MapState state = new MapState();
        state.holdEvent("acme", "e1");
        WritePlan<Event> plan = WritePlanner.plan(List.of(event("acme", "e1"), event("acme", "e2"),
                event("acme", "e2"), event("globex", "e1")), state);
        assertThat(plan.outcomes()).containsExactly(WriteOutcome.DUPLICATE, WriteOutcome.STORED,
                WriteOutcome.DUPLICATE, WriteOutcome.STORED);
        assertThat(plan.newEvents()).extracting(event -> event.tenantId + "/" + event.id)
                .containsExactly("acme/e2", "globex/e1");
        assertThat(plan.newEventFingerprints()).containsExactly(IdFingerprint.of("acme", "e2"),
                IdFingerprint.of("globex", "e1"));
    }

    @Test
    void aStoreFilterSparesTheLookupOfIdsItCannotHold() {
        MapState state = new MapState();
        state.filtering = true;
        state.holdEvent("acme", "e1");
        WritePlan<Event> plan = WritePlanner.plan(List.of(event("acme", "e1"), event("acme", "new")), state);
        assertThat(plan.outcomes()).containsExactly(WriteOutcome.DUPLICATE, WriteOutcome.STORED);
        assertThat(state.askedEvents).containsExactly("acme/e1");
    }

    @Test
    void aCallKeepsItsLatestStateAndAFinalStatusNeverRevertsToInProgress() {
        MapState state = new MapState();
        Event storedFinal = call("acme", "done", "completed");
        Event storedOpen = call("acme", "open", "in_progress");
        state.holdCall(storedFinal);
        state.holdCall(storedOpen);
        Event late = call("acme", "done", "in_progress");
        Event corrected = call("acme", "done", "failed");
        Event ended = call("acme", "open", "completed");
        Event fresh = call("acme", "fresh", "in_progress");
        Event freshEnded = call("acme", "fresh", "completed");
        Event freshLate = call("acme", "fresh", "in_progress");
        WritePlan<Event> plan = WritePlanner.plan(List.of(late, corrected, ended, fresh, freshEnded, freshLate), state);
        assertThat(plan.outcomes()).containsExactly(WriteOutcome.STALE, WriteOutcome.UPDATED, WriteOutcome.UPDATED,
                WriteOutcome.STORED, WriteOutcome.UPDATED, WriteOutcome.STALE);
        assertThat(plan.calls()).extracting(WritePlan.CallWrite::state).containsExactly(corrected, ended, freshEnded);
        assertThat(plan.calls()).extracting(WritePlan.CallWrite::replaced).containsExactly(storedFinal, storedOpen, null);
        assertThat(plan.newEvents()).isEmpty();
    }

    @Test
    void callsAndEventsWithTheSameIdAreDifferentThings() {
        MapState state = new MapState();
        state.holdEvent("acme", "x");
        WritePlan<Event> plan = WritePlanner.plan(List.of(call("acme", "x", "in_progress"), event("acme", "x")), state);
        assertThat(plan.outcomes()).containsExactly(WriteOutcome.STORED, WriteOutcome.DUPLICATE);
        assertThat(plan.calls()).hasSize(1);
    }
}
