package dev.tally.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.event.Event;
import dev.tally.store.ReportStore;
import dev.tally.store.callcost.CallCost;
import dev.tally.store.callcost.CallCostOrder;
import dev.tally.store.callcost.CallCostQuery;
import dev.tally.store.callcost.CallCostSummary;
import dev.tally.store.rollup.RollupFixture;
import dev.tally.testing.CallEvents;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The first calls by cost come from the ready rows ranked within their day: a call a write touched
 * since they were ranked is read from its current rows, and the rows it held a rank above are still
 * listed, before and after the touched calls are refreshed and ranked again.
 */
class CallCostRanksTest {
    private static final long DAY_MS = 86_400_000L;
    private static final long DAY = RollupFixture.END_MS - DAY_MS;

    @Test
    void aTouchedCallRankedFirstLeavesTheNextOnesListed() {
        try (DuckDbDatabase database = DuckDbDatabase.inMemory();
             DuckDbEventStore store = new DuckDbEventStore(database)) {
            List<Event> calls = new ArrayList<>();
            for (int index = 1; index <= 6; index++) {
                calls.add(CallEvents.call("c" + index, DAY + index * 60_000, index * 10_000_000L, index % 2 == 0 ? "agent-a" : "agent-b"));
            }
            calls.add(CallEvents.call("earlier", DAY - DAY_MS, 5_000_000L, "agent-a"));
            store.write(calls);
            store.compactRollups();
            assertThat(listed(store, CallCostOrder.COST_DESC, null)).containsExactly("c6", "c5", "c4");

            // the dearest call moves to the day before and the cheapest becomes the dearest: both touched, not refreshed
            Event moved = calls.get(5).copy();
            moved.revision++;
            moved.timeMs = DAY - DAY_MS + 1;
            Event raised = calls.get(0).copy();
            raised.revision++;
            raised.costNanos = 90_000_000L;
            store.write(List.of(moved, raised));

            assertSameAsRaw(store, "touched");
            assertThat(listed(store, CallCostOrder.COST_DESC, null)).containsExactly("c1", "c5", "c4");
            assertThat(listed(store, CallCostOrder.COST_ASC, null)).containsExactly("c2", "c3", "c4");
            assertThat(listed(store, CallCostOrder.COST_DESC, "agent-a")).containsExactly("c4", "c2");

            store.refreshCallCostRows();
            assertSameAsRaw(store, "refreshed");
            assertThat(store.checkRollups(false).total()).as("ranks and rows against a rebuild").isZero();
        }
    }

    /**
     * Days of more calls than the rows kept apart hold: lists up to their length read those rows,
     * longer ones every ready row, and both agree with the raw rows before and after the dearest
     * calls drop out of the first ranks and parts make one call mismatched and another not (touched,
     * then refreshed), including the lists just within and just beyond the bound of the rows kept
     * apart. The mismatched calls come from the rows kept apart whatever the list's length.
     */
    @Test
    void listsReadTheFirstRowsKeptApartOnlyWithinTheirRanks() {
        int callsPerDay = DuckDbCallCostRows.FIRST_RANK * 2 + 50;
        int dropped = 30;
        try (DuckDbDatabase database = DuckDbDatabase.inMemory();
             DuckDbEventStore store = new DuckDbEventStore(database)) {
            Random random = new Random(17);
            List<Event> calls = new ArrayList<>();
            for (int index = 0; index < callsPerDay; index++) {
                // costs from a small set the day before (ties across the bound), all distinct on the day
                calls.add(CallEvents.call("before-" + index, DAY - DAY_MS + index * 60_000L,
                        (1 + random.nextInt(300)) * 1_000_000L, "agent-" + random.nextInt(3)));
                calls.add(CallEvents.call("day-" + index, DAY + index * 60_000L,
                        (1 + index * 7_919L % callsPerDay) * 1_000_000L, "agent-" + random.nextInt(3)));
            }
            // reported totals: most as the parts add up, some a cent or less apart, some further (mismatched)
            for (Event call : calls) {
                int draw = random.nextInt(10);
                call.reportedTotalCostNanos = draw < 4 ? null : call.costNanos + (draw < 7 ? 0 : draw < 8 ? 10_000_000L
                        : 10_000_001L + random.nextInt(5) * 1_000_000L);
            }
            store.write(calls);
            store.compactRollups();
            assertSameAsRawAroundTheFirstRank(store, "folded", 0);

            List<Event> changes = calls.stream().filter(call -> call.timeMs >= DAY)
                    .sorted((left, right) -> Long.compare(right.costNanos, left.costNanos)).limit(dropped)
                    .map(call -> {
                        Event changed = call.copy();
                        changed.revision++;
                        changed.costNanos = 0L;
                        return changed;
                    }).toList();
            store.write(changes);
            assertSameAsRawAroundTheFirstRank(store, "touched", dropped);

            store.refreshCallCostRows();
            assertSameAsRawAroundTheFirstRank(store, "refreshed", 0);

            // a part brings one mismatched call back to its reported total and takes another off it
            Event mismatched = calls.stream().filter(call -> call.timeMs < DAY && call.reportedTotalCostNanos != null
                    && call.reportedTotalCostNanos - call.costNanos > 10_000_000L).findFirst().orElseThrow();
            Event matching = calls.stream().filter(call -> call.timeMs < DAY && call.reportedTotalCostNanos != null
                    && call.reportedTotalCostNanos == call.costNanos).findFirst().orElseThrow();
            store.write(List.of(CallEvents.part("evens", mismatched.id, mismatched.timeMs + 1_000,
                            mismatched.reportedTotalCostNanos - mismatched.costNanos),
                    CallEvents.part("differs", matching.id, matching.timeMs + 1_000, 50_000_000L)));
            assertSameAsRawAroundTheFirstRank(store, "parts touched", 2);
            store.refreshCallCostRows();
            assertSameAsRawAroundTheFirstRank(store, "parts refreshed", 0);
            assertThat(store.checkRollups(false).total()).as("list rows, ranks and rows against a rebuild").isZero();
        }
    }

    private static void assertSameAsRawAroundTheFirstRank(DuckDbEventStore store, String when, int touched) {
        ReportStore raw = store.withoutRollups();
        int first = DuckDbCallCostRows.FIRST_RANK;
        for (CallCostOrder order : List.of(CallCostOrder.COST_DESC, CallCostOrder.COST_ASC)) {
            for (long from : new long[] {DAY - DAY_MS, DAY}) {
                for (int limit : new int[] {1, first - touched, first - touched + 1, first, first + 1, 1_000}) {
                    // an agent's list reads the rows kept apart by agent within the same bound
                    for (String agent : java.util.Arrays.asList(null, "agent-1")) {
                        CallCostQuery query = new CallCostQuery("t1", from, DAY + DAY_MS, agent, limit, order);
                        CallCostSummary answer = store.callCosts(query);
                        CallCostSummary expected = raw.callCosts(query);
                        assertThat(answer.calls()).as(when + " " + query).isEqualTo(expected.calls());
                        assertThat(answer.mismatched()).as(when + " mismatched " + query).isNotEmpty()
                                .isEqualTo(expected.mismatched());
                    }
                }
            }
        }
    }

    private static void assertSameAsRaw(DuckDbEventStore store, String when) {
        ReportStore raw = store.withoutRollups();
        for (CallCostOrder order : CallCostOrder.values()) {
            for (String agent : new String[] {null, "agent-a", "agent-b"}) {
                for (int limit : new int[] {1, 2, 3, 5}) {
                    CallCostQuery query = new CallCostQuery("t1", DAY, DAY + DAY_MS, agent, limit, order);
                    assertThat(store.callCosts(query).calls()).as(when + " " + query)
                            .isEqualTo(raw.callCosts(query).calls());
                }
            }
        }
    }

    private static List<String> listed(DuckDbEventStore store, CallCostOrder order, String agent) {
        return store.callCosts(new CallCostQuery("t1", DAY, DAY + DAY_MS, agent, 3, order)).calls().stream()
                .map(CallCost::callId).toList();
    }

}
