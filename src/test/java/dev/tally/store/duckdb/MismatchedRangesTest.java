package dev.tally.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.event.Event;
import dev.tally.store.ReportStore;
import dev.tally.store.callcost.CallCost;
import dev.tally.store.callcost.CallCostOrder;
import dev.tally.store.callcost.CallCostQuery;
import dev.tally.store.rollup.RollupFixture;
import dev.tally.testing.CallEvents;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The per-tenant times of mismatched ready rows that let a report skip the query for them: never
 * narrower than the rows a reader can see, whether it reads before, during or after a refresh,
 * and read back when a store opens.
 */
class MismatchedRangesTest {
    private static final long DAY_MS = 86_400_000L;
    private static final long DAY = RollupFixture.END_MS - 3 * DAY_MS;

    @Test
    void aRangeIsWidenedBeforeTheCommitAndExactAfterIt() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + DuckDbCallCostRows.MISMATCHED_ROWS + " (tenant_id VARCHAR, time_ms BIGINT)");
            statement.execute("INSERT INTO " + DuckDbCallCostRows.MISMATCHED_ROWS + " VALUES ('a', 100), ('a', 200)");
            MismatchedRanges ranges = new MismatchedRanges();
            ranges.load(statement);
            assertThat(ranges.mayHave("a", 0, 100)).as("ending where the first row starts").isFalse();
            assertThat(ranges.mayHave("a", 0, 101)).isTrue();
            assertThat(ranges.mayHave("a", 200, 300)).isTrue();
            assertThat(ranges.mayHave("a", 201, 300)).as("after the last row").isFalse();
            assertThat(ranges.mayHave("b", 0, Long.MAX_VALUE)).as("a tenant without any").isFalse();

            // a refresh moves a's rows to 500 and gives b one: until it commits, readers may see either side
            statement.execute("DELETE FROM " + DuckDbCallCostRows.MISMATCHED_ROWS);
            statement.execute("INSERT INTO " + DuckDbCallCostRows.MISMATCHED_ROWS + " VALUES ('a', 500), ('b', 7)");
            Map<String, long[]> held = ranges.widen(statement);
            assertThat(ranges.mayHave("a", 100, 101)).as("the rows before the commit").isTrue();
            assertThat(ranges.mayHave("a", 500, 501)).as("the rows after it").isTrue();
            assertThat(ranges.mayHave("b", 7, 8)).isTrue();
            ranges.committed(held);
            assertThat(ranges.mayHave("a", 100, 101)).as("gone once committed").isFalse();
            assertThat(ranges.mayHave("a", 500, 501)).isTrue();
            assertThat(ranges.mayHave("b", 7, 8)).isTrue();

            // and a tenant whose every mismatched row went is forgotten
            statement.execute("DELETE FROM " + DuckDbCallCostRows.MISMATCHED_ROWS + " WHERE tenant_id = 'a'");
            ranges.committed(ranges.widen(statement));
            assertThat(ranges.mayHave("a", 0, Long.MAX_VALUE)).isFalse();
            assertThat(ranges.mayHave("b", 0, Long.MAX_VALUE)).isTrue();
        }
    }

    /**
     * A tenant with no mismatched call gets one on a later day: it is listed while touched, after
     * the refresh (the skip must know of it), after a full fold, and after the store opens again;
     * the days without it list none, as the raw rows say.
     */
    @Test
    void aCallThatBecomesMismatchedIsListedBeforeAndAfterEveryRefresh() {
        try (DuckDbDatabase database = DuckDbDatabase.inMemory()) {
            DuckDbEventStore store = new DuckDbEventStore(database);
            store.write(List.of(CallEvents.call("quiet", DAY + 60_000, 20_000_000L, "agent-a")));
            store.compactRollups();
            assertMismatched(store, List.of());

            Event call = CallEvents.call("off", DAY + 2 * DAY_MS + 60_000, 30_000_000L, "agent-a");
            call.reportedTotalCostNanos = 90_000_000L;
            store.write(List.of(call));
            assertMismatched(store, List.of("off"));
            store.refreshCallCostRows();
            assertMismatched(store, List.of("off"));

            // a part closes the gap: touched, then refreshed, the call is no longer mismatched
            store.write(List.of(CallEvents.part("closes", "off", call.timeMs + 1_000, 60_000_000L)));
            assertMismatched(store, List.of());
            store.refreshCallCostRows();
            assertMismatched(store, List.of());

            // another opens it again, and a full fold rebuilds every ready row
            store.write(List.of(CallEvents.part("reopens", "off", call.timeMs + 2_000, 40_000_000L)));
            store.compactRollups();
            assertMismatched(store, List.of("off"));
            store.close();

            DuckDbEventStore opened = new DuckDbEventStore(database);
            assertMismatched(opened, List.of("off"));
            opened.close();
        }
    }

    private static void assertMismatched(DuckDbEventStore store, List<String> onTheLaterDay) {
        ReportStore raw = store.withoutRollups();
        for (long from : new long[] {DAY, DAY + DAY_MS, DAY + 2 * DAY_MS}) {
            for (long to : new long[] {DAY + DAY_MS, DAY + 2 * DAY_MS, DAY + 3 * DAY_MS}) {
                if (to <= from) {
                    continue;
                }
                CallCostQuery query = new CallCostQuery("t1", from, to, null, 100, CallCostOrder.COST_DESC);
                List<String> expected = to > DAY + 2 * DAY_MS ? onTheLaterDay : List.of();
                assertThat(store.callCosts(query).mismatched().stream().map(CallCost::callId).toList())
                        .as(query.toString()).isEqualTo(expected)
                        .isEqualTo(raw.callCosts(query).mismatched().stream().map(CallCost::callId).toList());
            }
        }
    }
}
