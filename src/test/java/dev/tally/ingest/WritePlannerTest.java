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
    private static final class MapState implements StoredState<Event, Event> {
        final Map<EventKey, Event> events = new HashMap<>();
        final Map<EventKey, Event> calls = new HashMap<>();
        final Set<Long> filter = new HashSet<>();
        final List<String> askedEvents = new ArrayList<>();
        final List<String> askedCalls = new ArrayList<>();
        boolean filtering;

        void holdEvent(String tenant, String id) {
            hold(event(tenant, id));
        }

        void hold(Event event) {
            events.put(new EventKey(event.tenantId, event.id), event);
            filter.add(IdFingerprint.of(event.tenantId, event.id));
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
        public Map<EventKey, Event> storedEvents(Map<String, Set<String>> idsByTenant) {
            Map<EventKey, Event> found = new HashMap<>();
            idsByTenant.forEach((tenant, ids) -> ids.forEach(id -> {
                askedEvents.add(tenant + "/" + id);
                Event event = events.get(new EventKey(tenant, id));
                if (event != null) {
                    found.put(new EventKey(tenant, id), event);
                }
            }));
            return found;
        }

        @Override
        public EventType type(Event event) {
            return event.type;
        }

        @Override
        public long revision(Event event) {
            return event.revision;
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

        @Override
        public long callRevision(Event call) {
            return call.revision;
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
        WritePlan<Event, Event> plan = WritePlanner.plan(List.of(event("acme", "e1"), event("acme", "e2"),
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
        WritePlan<Event, Event> plan = WritePlanner.plan(List.of(event("acme", "e1"), event("acme", "new")), state);
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
        WritePlan<Event, Event> plan = WritePlanner.plan(List.of(late, corrected, ended, fresh, freshEnded, freshLate), state);
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
        WritePlan<Event, Event> plan = WritePlanner.plan(List.of(call("acme", "x", "in_progress"), event("acme", "x")), state);
        assertThat(plan.outcomes()).containsExactly(WriteOutcome.STORED, WriteOutcome.DUPLICATE);
        assertThat(plan.calls()).hasSize(1);
    }

    private static Event revised(Event event, long revision) {
        Event copy = event.copy();
        copy.revision = revision;
        return copy;
    }

    @Test
    void aHigherRevisionReplacesTheStoredEventAnEqualOneIsADuplicateALowerOneIsStale() {
        MapState state = new MapState();
        Event stored = revised(event("acme", "e1"), 2);
        state.hold(stored);
        Event higher = revised(event("acme", "e1"), 3);
        WritePlan<Event, Event> plan = WritePlanner.plan(List.of(revised(event("acme", "e1"), 2),
                revised(event("acme", "e1"), 1), higher), state);
        assertThat(plan.outcomes()).containsExactly(WriteOutcome.DUPLICATE, WriteOutcome.STALE_REVISION,
                WriteOutcome.UPDATED);
        assertThat(plan.newEvents()).containsExactly(higher);
        assertThat(plan.replacedEvents()).containsExactly(stored);
        assertThat(plan.newEventFingerprints()).containsExactly(IdFingerprint.of("acme", "e1"));
    }

    @Test
    void aCorrectionMustKeepTheStoredType() {
        MapState state = new MapState();
        state.hold(event("acme", "e1"));
        Event sms = revised(event("acme", "e1"), 1);
        sms.type = EventType.SMS;
        Event sameTypeLower = event("acme", "e1");
        sameTypeLower.type = EventType.SMS;
        WritePlan<Event, Event> plan = WritePlanner.plan(List.of(sms, sameTypeLower), state);
        assertThat(plan.outcomes()).containsExactly(WriteOutcome.TYPE_CHANGED, WriteOutcome.DUPLICATE);
        assertThat(plan.newEvents()).isEmpty();
    }

    @Test
    void inOneBatchTheHighestRevisionStandsInAnyOrder() {
        for (List<Long> order : List.of(List.of(0L, 2L, 1L), List.of(2L, 1L, 0L), List.of(1L, 0L, 2L))) {
            MapState state = new MapState();
            state.filtering = true;
            List<Event> batch = order.stream().map(revision -> revised(event("acme", "n"), revision)).toList();
            WritePlan<Event, Event> plan = WritePlanner.plan(batch, state);
            assertThat(plan.newEvents()).as("order " + order).singleElement()
                    .extracting(event -> event.revision).isEqualTo(2L);
            assertThat(plan.replacedEvents()).as("a new id replaces nothing").containsExactly((Event) null);
            assertThat(plan.outcomes().get(order.indexOf(2L))).isIn(WriteOutcome.STORED, WriteOutcome.UPDATED);
            assertThat(state.askedEvents).as("a new id is not looked up").isEmpty();
        }
    }

    @Test
    void aCallCorrectionReplacesWhateverTheStatusAndAnOlderRevisionChangesNothing() {
        MapState state = new MapState();
        Event storedFinal = revised(call("acme", "c", "completed"), 1);
        state.holdCall(storedFinal);
        Event sameRevisionLate = revised(call("acme", "c", "in_progress"), 1);
        Event older = revised(call("acme", "c", "completed"), 0);
        Event reopened = revised(call("acme", "c", "in_progress"), 2);
        WritePlan<Event, Event> plan = WritePlanner.plan(List.of(sameRevisionLate, older, reopened), state);
        assertThat(plan.outcomes()).containsExactly(WriteOutcome.STALE, WriteOutcome.STALE_REVISION,
                WriteOutcome.UPDATED);
        assertThat(plan.calls()).extracting(WritePlan.CallWrite::state).containsExactly(reopened);
        assertThat(plan.calls()).extracting(WritePlan.CallWrite::replaced).containsExactly(storedFinal);
    }
}
