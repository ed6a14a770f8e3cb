package dev.tally.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.event.Event;
import dev.tally.store.ReportStore;
import dev.tally.store.callcost.CallCost;
import dev.tally.store.callcost.CallCostOrder;
import dev.tally.store.callcost.CallCostQuery;
import dev.tally.store.rollup.RollupFixture;
import dev.tally.testing.CallEvents;
import java.util.ArrayList;
import java.util.List;
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
