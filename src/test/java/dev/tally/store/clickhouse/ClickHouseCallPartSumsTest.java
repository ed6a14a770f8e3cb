package dev.tally.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.event.Event;
import dev.tally.store.ReportStore;
import dev.tally.store.callcost.CallCostBatches;
import dev.tally.store.callcost.CallCostOrder;
import dev.tally.store.callcost.CallCostQuery;
import dev.tally.store.callcost.CostComponent;
import dev.tally.store.duckdb.DuckDbDatabase;
import dev.tally.store.duckdb.DuckDbEventStore;
import dev.tally.store.rollup.RollupFixture;
import dev.tally.testing.CallEvents;
import dev.tally.testing.ClickHouseCluster;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * ClickHouse adds the parts of calls up from their sums by the hour ({@link ClickHouseCallPartSums})
 * where an hour's are current, and from the raw rows where not, and answers as DuckDB's raw rows do:
 * parts before and after their calls, in hours recorded before they came, corrected and moved.
 */
class ClickHouseCallPartSumsTest {
    private static final long HOUR_MS = 3_600_000L;
    private static final long DAY_MS = 86_400_000L;
    private static final int DAYS = 20;

    // a fresh database for each test: JUnit makes an instance per test
    private final ClickHouseConfig config = ClickHouseCluster.shared().newDatabase();
    private final ClickHouseEventStore store = (ClickHouseEventStore) ClickHouseStore.open(config).events();
    private final ClickHouseHttp http = new ClickHouseHttp(config.endpoints(), ClickHouseStore.settings(config, true));

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void recordedHoursAreReadFromTheirSumsAndTheOthersDerived() {
        long hour = RollupFixture.END_MS / HOUR_MS - 30;
        store.write(List.of(CallEvents.call("c1", hour * HOUR_MS, 10_000_000, "agent-1"),
                CallEvents.part("s1", "c1", hour * HOUR_MS + 60_000, 1_000_000),
                CallEvents.part("s2", "c1", (hour + 3) * HOUR_MS, 2_000_000)));
        assertThat(sttOf("c1")).as("derived").isEqualTo(3_000_000);
        store.recomputeRollups();
        long generation = http.query("SELECT generation FROM " + ClickHouseRollups.HOURS + " WHERE hour = "
                + (hour + 3)).get(0).longValue("generation");
        assertThat(http.query("SELECT count() AS n FROM " + ClickHouseCallPartSums.TABLE + " WHERE call_key = 'c1'")
                .get(0).longValue("n")).as("a row per hour holding parts of the call").isEqualTo(2);

        // the call's own hour marked again: its row is derived, from the parts' sums of their recorded hours
        http.insert(ClickHouseRollups.MARKS, "{\"tenant_id\":\"t1\",\"hour\":" + hour + ",\"marked_ms\":"
                + System.currentTimeMillis() + "}\n");
        insertSum(generation + 1, hour + 3, 500);
        assertThat(sttOf("c1")).as("rows of another generation are not read").isEqualTo(3_000_000);
        insertSum(generation, hour + 3, 500);
        assertThat(sttOf("c1")).as("a recorded hour is read from its generation's sums").isEqualTo(3_000_500);

        store.write(List.of(CallEvents.part("s3", "c1", (hour + 3) * HOUR_MS + 5, 4_000_000)));
        assertThat(sttOf("c1")).as("an hour marked since is derived from raw rows").isEqualTo(7_000_000);
        store.write(List.of(CallEvents.part("s4", "c1", (hour + 20) * HOUR_MS, 8_000_000)));
        assertThat(sttOf("c1")).as("an hour never recorded is derived").isEqualTo(15_000_000);
        assertThat(store.recomputeRollups()).as("the parts' hours and their call's").isEqualTo(3);
        assertThat(sttOf("c1")).isEqualTo(15_000_000);
    }

    /**
     * The batches DuckDB's ready rows are tested with, written to ClickHouse with its hours
     * recomputed now and then: after every batch, each tenant's call costs, and one call's, as
     * DuckDB derives them from the same events' raw rows.
     */
    @Test
    void randomCallsAndPartsAnswerAsDuckDbsRawRows() {
        List<List<Event>> batches = CallCostBatches.batches(DAYS);
        int compared = 0;
        try (DuckDbDatabase database = DuckDbDatabase.inMemory();
             DuckDbEventStore duckDb = new DuckDbEventStore(database)) {
            ReportStore raw = duckDb.withoutRollups();
            for (int index = 0; index < batches.size(); index++) {
                store.write(batches.get(index));
                duckDb.write(batches.get(index));
                if (index % 2 == 1) {
                    store.recomputeRollups();
                }
                compared += CallCostBatches.assertSameCallCosts(store::session, raw, index, DAYS);
            }
        }
        assertThat(compared).isGreaterThan(100);
        assertThat(http.query("SELECT count() AS n FROM " + ClickHouseCallPartSums.TABLE).get(0).longValue("n"))
                .as("sums stored").isPositive();
    }

    private long sttOf(String callId) {
        long hour = RollupFixture.END_MS / HOUR_MS - 30;
        CallCostQuery query = new CallCostQuery("t1", (hour / 24) * DAY_MS, (hour / 24 + 1) * DAY_MS, null, 10,
                CallCostOrder.COST_DESC);
        return store.session("t1", query.fromMs(), query.toMs()).callCosts(query).calls().stream()
                .filter(call -> call.callId().equals(callId)).findFirst().orElseThrow()
                .components().get(CostComponent.STT);
    }

    private void insertSum(long generation, long hour, long sttNanos) {
        StringBuilder row = new StringBuilder("{\"tenant_id\":\"t1\",\"hour\":" + hour + ",\"generation\":" + generation
                + ",\"call_key\":\"c1\"");
        dev.tally.store.callcost.CallCostReads.PART_COLUMNS.forEach(column -> row.append(",\"").append(column)
                .append("\":").append(column.equals("part_stt") ? sttNanos : 0));
        http.insert(ClickHouseCallPartSums.TABLE, row.append("}\n").toString());
    }
}
