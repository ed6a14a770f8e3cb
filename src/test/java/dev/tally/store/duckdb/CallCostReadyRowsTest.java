package dev.tally.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.event.Event;
import dev.tally.store.ReportStore;
import dev.tally.store.callcost.CallCostBatches;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * DuckDB answers the call-cost reports from rows it keeps ready (rebuilt when the per-call costs are
 * folded, refreshed call by call when the writer is idle) and, for the calls a write touched since,
 * from their current rows. Whatever was folded
 * when, the answers equal those derived from the raw rows alone: after every batch, before any
 * fold, right after one, and with writes since (new calls, parts of calls stored earlier and of
 * calls that arrive later, final states replacing calls in progress, revisions moving calls to
 * another day and agent).
 */
class CallCostReadyRowsTest {
    private static final int DAYS = 20;

    @Test
    void readyRowsAndTouchedCallsAnswerAsTheRawRowsDo() {
        List<List<Event>> batches = CallCostBatches.batches(DAYS);
        try (DuckDbDatabase database = DuckDbDatabase.inMemory()) {
            DuckDbEventStore store = new DuckDbEventStore(database);
            ReportStore raw = store.withoutRollups();
            int compared = 0;
            for (int index = 0; index < batches.size(); index++) {
                store.write(batches.get(index));
                if (index % 3 == 1) {
                    store.compactRollups();
                } else if (index % 3 == 2) {
                    store.refreshCallCostRows();
                    assertThat(store.query(new dev.tally.store.sql.Sql("SELECT count(*) AS touched FROM "
                            + dev.tally.store.callcost.CallCostDeltas.CHANGED_TABLE, List.of())).get(0)
                            .longValue("touched")).as("calls left touched after a refresh").isZero();
                }
                compared += CallCostBatches.assertSameCallCosts((tenant, from, to) -> store, raw, index, DAYS);
            }
            assertThat(compared).isGreaterThan(100);
            assertThat(store.checkRollups(false).total()).as("ready rows against a rebuild").isZero();
            store.close();
        }
    }

    /**
     * The writer knows without a query which tenants have touched calls; a store opened on a file a
     * run left with touched calls learns them from the file, and reads them before refreshing any.
     */
    @Test
    void callsTouchedBeforeAStoreClosedAreReadAfterItOpensAgain() {
        List<List<Event>> batches = CallCostBatches.batches(DAYS);
        try (DuckDbDatabase database = DuckDbDatabase.inMemory()) {
            DuckDbEventStore first = new DuckDbEventStore(database);
            first.write(batches.get(0));
            first.compactRollups();
            first.write(batches.get(1));
            first.close();
            DuckDbEventStore opened = new DuckDbEventStore(database);
            assertThat(opened.query(new dev.tally.store.sql.Sql("SELECT count(DISTINCT tenant_id) AS tenants FROM "
                    + dev.tally.store.callcost.CallCostDeltas.CHANGED_TABLE, List.of())).get(0).longValue("tenants"))
                    .as("tenants with calls touched before the store closed").isPositive();
            assertThat(CallCostBatches.assertSameCallCosts((tenant, from, to) -> opened, opened.withoutRollups(), 0,
                    DAYS)).isPositive();
            opened.close();
        }
    }
}
