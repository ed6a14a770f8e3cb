package dev.tally.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.bench.EventGenerator;
import dev.tally.event.Event;
import dev.tally.store.rollup.RollupFixture;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.SqlBuilder;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data file whose rollups were written by an older version (a table missing, another emptied,
 * the version row older) gets them rebuilt from the raw tables when it is opened, equal to the
 * rollups a store writes live.
 */
class DuckDbRollupRebuildTest {
    private static final String TOTALS = "SELECT (SELECT sum(events) FROM rollup_events) AS events,"
            + " (SELECT sum(events) FROM rollup_usage_by_model) AS usage_events,"
            + " (SELECT sum(calls) FROM rollup_calls_by_agent) AS calls,"
            + " (SELECT sum(sentiment_positive) + sum(calls_under_30s) FROM rollup_calls_by_agent) AS pivoted,"
            + " (SELECT sum(events) FROM rollup_llm_by_hour) AS llm,"
            + " (SELECT max(latency_ms_max) FROM rollup_llm_by_hour) AS slowest,"
            + " (SELECT sum(latencies) FROM rollup_llm_latency) AS latencies";

    @Test
    void rollupsOfAnOlderVersionAreRebuiltOnOpen(@TempDir Path directory) throws Exception {
        Row live;
        try (DuckDbDatabase database = DuckDbDatabase.open(directory)) {
            DuckDbEventStore store = new DuckDbEventStore(database);
            EventGenerator generator = new EventGenerator(3, 6_000, 1_000, RollupFixture.END_MS, 10);
            for (int batch = 0; batch < generator.batches(); batch++) {
                List<Event> events = generator.batch(batch);
                store.write(events);
            }
            live = store.query(new SqlBuilder().append(TOTALS).build()).get(0);
            store.close();
            try (var connection = database.newConnection(); Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE rollup_llm_latency");
                statement.execute("DELETE FROM rollup_llm_by_hour");
                statement.execute("UPDATE rollup_state SET version = 1");
            }
        }
        try (DuckDbDatabase database = DuckDbDatabase.open(directory)) {
            DuckDbEventStore store = new DuckDbEventStore(database);
            Row rebuilt = store.query(new SqlBuilder().append(TOTALS).build()).get(0);
            Row raw = store.query(new SqlBuilder().append("SELECT count(*) AS llm, max(ended_ms - time_ms) AS slowest,"
                    + " count(ended_ms) AS latencies FROM events WHERE type = 'llm'").build()).get(0);
            store.close();
            assertThat(rebuilt.asMap().toString()).isEqualTo(live.asMap().toString());
            assertThat(rebuilt.longValue("llm")).isEqualTo(raw.longValue("llm")).isPositive();
            assertThat(rebuilt.longValue("slowest")).isEqualTo(raw.longValue("slowest"));
            assertThat(rebuilt.longValue("latencies")).isEqualTo(raw.longValue("latencies"));
        }
    }
}
