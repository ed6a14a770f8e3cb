package dev.tally.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.bench.EventGenerator;
import dev.tally.store.rollup.RollupFixture;
import dev.tally.store.rollup.RollupTable;
import dev.tally.store.rollup.Rollups;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.SqlBuilder;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the writer is idle the store folds the rollup deltas a burst of writes left: afterwards
 * every table holds one row per group, with the same sums as before. A store reopened on a file
 * counts what its tables hold, so a few new events do not make it rewrite them all.
 */
class IdleCompactionTest {

    @Test
    void idleFoldsTheDeltasOfABurstAndChangesNoSum() {
        try (DuckDbDatabase database = DuckDbDatabase.inMemory(); DuckDbEventStore store = new DuckDbEventStore(database)) {
            EventGenerator generator = new EventGenerator(5, 20_000, 500, RollupFixture.END_MS, 3);
            for (int batch = 0; batch < generator.batches(); batch++) {
                store.write(generator.batch(batch));
            }
            String before = totals(store);
            assertThat(rowsPerGroup(store, Rollups.EVENTS)).as("deltas before idle").isGreaterThan(1.0);

            store.idle();

            for (RollupTable table : Rollups.ALL) {
                assertThat(rowsPerGroup(store, table)).as(table.name()).isEqualTo(1.0);
            }
            assertThat(totals(store)).isEqualTo(before);
            // nothing new: a second idle moment leaves the tables as they are
            long rows = count(store, "SELECT count(*) AS n FROM " + Rollups.EVENTS.name());
            store.idle();
            assertThat(count(store, "SELECT count(*) AS n FROM " + Rollups.EVENTS.name())).isEqualTo(rows);
        }
    }

    @Test
    void aReopenedStoreDoesNotRefoldItsTablesForAFewNewEvents(@TempDir Path directory) {
        EventGenerator generator = new EventGenerator(5, 20_000, 500, RollupFixture.END_MS, 3);
        try (DuckDbDatabase database = DuckDbDatabase.open(directory);
             DuckDbEventStore store = new DuckDbEventStore(database)) {
            for (int batch = 0; batch < generator.batches() - 1; batch++) {
                store.write(generator.batch(batch));
            }
            store.idle();
        }
        try (DuckDbDatabase database = DuckDbDatabase.open(directory);
             DuckDbEventStore store = new DuckDbEventStore(database)) {
            long before = count(store, "SELECT count(*) AS n FROM " + Rollups.LLM_LATENCY.name());
            // one batch of new events: its deltas are far less than an eighth of the stored rows
            store.write(generator.batch(generator.batches() - 1).subList(0, 20));
            store.idle();
            assertThat(count(store, "SELECT count(*) AS n FROM " + Rollups.LLM_LATENCY.name()))
                    .as("delta rows left unfolded").isGreaterThanOrEqualTo(before);
            assertThat(rowsPerGroup(store, Rollups.LLM_LATENCY)).isGreaterThan(1.0);
        }
    }

    private static double rowsPerGroup(DuckDbEventStore store, RollupTable table) {
        String keys = "tenant_id, " + table.grain().column() + table.keys().stream().map(key -> ", " + key.name())
                .collect(Collectors.joining());
        long rows = count(store, "SELECT count(*) AS n FROM " + table.name());
        long groups = count(store, "SELECT count(*) AS n FROM (SELECT DISTINCT " + keys + " FROM " + table.name() + ")");
        assertThat(groups).as(table.name() + " groups").isPositive();
        return (double) rows / groups;
    }

    private static String totals(DuckDbEventStore store) {
        Row row = store.query(new SqlBuilder().append("SELECT (SELECT sum(events) FROM rollup_events) AS events,"
                + " (SELECT sum(cost_nanos) FROM rollup_usage_by_model) AS cost,"
                + " (SELECT sum(calls) FROM rollup_calls_by_agent) AS calls,"
                + " (SELECT sum(latencies) FROM rollup_llm_latency_by_day) AS latencies,"
                + " (SELECT max(latency_ms_max) FROM rollup_llm_by_hour) AS slowest").build()).get(0);
        return row.asMap().toString();
    }

    private static long count(DuckDbEventStore store, String sql) {
        return store.query(new SqlBuilder().append(sql).build()).get(0).longValue("n");
    }
}
