package dev.tally.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.bench.EventGenerator;
import dev.tally.event.Event;
import dev.tally.store.rollup.RollupFixture;
import dev.tally.store.rollup.Rollups;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.SqlBuilder;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The self-check finds rollup groups that disagree with the raw rows, changes nothing unless asked
 * to repair, and repairs exactly; after a run that did not close the store, the next start checks
 * the days that run wrote, and only those.
 */
class RollupCheckTest {
    private static final String DAILY_CALLS = "SELECT day, sum(calls)::BIGINT AS calls, sum(cost_nanos)::BIGINT AS cost"
            + " FROM rollup_calls_by_agent WHERE tenant_id = 'bench-a' GROUP BY day ORDER BY day";
    private static final String RAW_DAILY_CALLS = "SELECT " + DuckDbRollups.day("time_ms") + " AS day,"
            + " count(*)::BIGINT AS calls, sum(cost_nanos)::BIGINT AS cost FROM calls WHERE tenant_id = 'bench-a'"
            + " GROUP BY day ORDER BY day";

    @Test
    void aCheckFindsWhatDiffersChangesNothingAndRepairsWhenAsked() {
        DuckDbDatabase database = DuckDbDatabase.inMemory();
        try (DuckDbEventStore store = new DuckDbEventStore(database)) {
            writeUsage(store, 0, 8);
            assertThat(store.checkRollups(false).total()).isZero();

            corrupt(database, "UPDATE rollup_calls_by_agent SET cost_nanos = cost_nanos + 1"
                    + " WHERE rowid IN (SELECT rowid FROM rollup_calls_by_agent LIMIT 3)");
            corrupt(database, "DELETE FROM rollup_usage_by_model WHERE rowid IN"
                    + " (SELECT rowid FROM rollup_usage_by_model LIMIT 2)");
            corrupt(database, "DELETE FROM rollup_member_usage WHERE rowid IN"
                    + " (SELECT rowid FROM rollup_member_usage LIMIT 1)");
            List<String> corrupted = answer(store, DAILY_CALLS);
            assertThat(corrupted).isNotEqualTo(answer(store, RAW_DAILY_CALLS));

            RollupCheck.Result found = store.checkRollups(false);
            assertThat(found.differences().get("rollup_calls_by_agent")).isBetween(1L, 6L);
            assertThat(found.differences().get("rollup_usage_by_model")).isBetween(1L, 2L);
            assertThat(found.differences().get("rollup_member_usage")).isEqualTo(1L);
            assertThat(found.differences().get("rollup_events")).isZero();
            assertThat(found.repaired()).isFalse();
            assertThat(answer(store, DAILY_CALLS)).as("a check without repair changes nothing").isEqualTo(corrupted);

            assertThat(store.checkRollups(true).repaired()).isTrue();
            assertThat(answer(store, DAILY_CALLS)).isEqualTo(answer(store, RAW_DAILY_CALLS)).isNotEmpty();
            assertThat(store.checkRollups(false).total()).isZero();
        } finally {
            database.close();
        }
    }

    @Test
    void aCheckOfEverythingCoversThePerCallCostTablesButNotTheReadyRowsOfCallsTouchedSince() {
        DuckDbDatabase database = DuckDbDatabase.inMemory();
        try (DuckDbEventStore store = new DuckDbEventStore(database)) {
            writeUsage(store, 0, 6);
            store.compactRollups();
            // written after the ready rows were built: these calls' ready rows are stale, and listed as touched
            writeUsage(store, 6, 8);
            assertThat(query(store, "SELECT count(*) AS touched FROM call_costs_changed").get(0).longValue("touched"))
                    .isPositive();
            RollupCheck.Result clean = store.checkRollups(false);
            assertThat(clean.differences()).containsKeys("call_costs", "call_cost_calls", "call_cost_days");
            assertThat(clean.total()).isZero();

            corrupt(database, "UPDATE call_costs SET stt_nanos = stt_nanos + 1 WHERE rowid IN"
                    + " (SELECT rowid FROM call_costs LIMIT 1)");
            corrupt(database, "UPDATE call_cost_calls SET total_nanos = total_nanos + 1 WHERE rowid IN"
                    + " (SELECT rowid FROM call_cost_calls AS ready WHERE NOT EXISTS (SELECT 1 FROM call_costs_changed"
                    + " AS touched WHERE touched.call_hash = ready.call_hash) LIMIT 1)");
            corrupt(database, "UPDATE call_cost_days SET call_count = call_count + 1 WHERE rowid IN"
                    + " (SELECT rowid FROM call_cost_days LIMIT 1)");
            RollupCheck.Result found = store.checkRollups(false);
            assertThat(found.differences()).containsEntry("call_costs", 1L).containsEntry("call_cost_calls", 1L)
                    .containsEntry("call_cost_days", 1L);

            assertThat(store.checkRollups(true).repaired()).isTrue();
            assertThat(store.checkRollups(false).total()).isZero();
            assertThat(query(store, "SELECT count(*) AS touched FROM call_costs_changed").get(0).longValue("touched"))
                    .as("a repair rebuilds the ready rows").isZero();
        } finally {
            database.close();
        }
    }

    @Test
    void theStartAfterAnUncleanShutdownRepairsTheDaysTheLastRunWroteAndOnlyThose(@TempDir Path directory) {
        DuckDbDatabase first = DuckDbDatabase.open(directory);
        DuckDbEventStore cleanlyClosed = new DuckDbEventStore(first);
        writeUsage(cleanlyClosed, 0, 4);
        cleanlyClosed.close();
        first.close();

        DuckDbDatabase second = DuckDbDatabase.open(directory);
        DuckDbEventStore crashed = new DuckDbEventStore(second);
        long firstDay = Rollups.day(RollupFixture.END_MS) - 1;
        List<Event> lastDay = writeUsage(crashed, 4, 8).stream()
                .filter(event -> Rollups.day(event.timeMs) == firstDay).toList();
        assertThat(lastDay).isNotEmpty();
        // a group the crashed run wrote, and one it did not (a day only the first run wrote)
        corrupt(second, "UPDATE rollup_calls_by_agent SET cost_nanos = cost_nanos + 5 WHERE day = " + firstDay);
        long untouchedDay = untouchedDay(crashed, second);
        corrupt(second, "UPDATE rollup_calls_by_agent SET cost_nanos = cost_nanos + 7 WHERE day = " + untouchedDay);
        // the process dies: the store is never closed, its journal of written days stays behind
        second.close();

        DuckDbDatabase third = DuckDbDatabase.open(directory);
        try (DuckDbEventStore reopened = new DuckDbEventStore(third)) {
            RollupCheck.Result after = reopened.checkRollups(false);
            assertThat(after.differences().get("rollup_calls_by_agent"))
                    .as("only the day the crashed run did not write still differs").isPositive();
            assertThat(cost(reopened, "rollup_calls_by_agent", firstDay)).isEqualTo(cost(reopened, "calls", firstDay));
            assertThat(cost(reopened, "rollup_calls_by_agent", untouchedDay))
                    .isNotEqualTo(cost(reopened, "calls", untouchedDay));
        } finally {
            third.close();
        }
        DuckDbDatabase fourth = DuckDbDatabase.open(directory);
        try (DuckDbEventStore cleanStart = new DuckDbEventStore(fourth)) {
            assertThat(cleanStart.checkRollups(false).differences().get("rollup_calls_by_agent"))
                    .as("a clean close left nothing to check at the next start").isPositive();
        } finally {
            fourth.close();
        }
    }

    /** A day with calls of bench-a that only the first four batches wrote. */
    private static long untouchedDay(DuckDbEventStore store, DuckDbDatabase database) {
        List<Row> days = query(store, "SELECT day FROM rollup_calls_by_agent WHERE tenant_id = 'bench-a' AND day NOT IN"
                + " (SELECT day FROM " + RollupJournal.TABLE + " WHERE tenant_id = 'bench-a') ORDER BY day LIMIT 1");
        assertThat(days).as("a day the second run did not write").isNotEmpty();
        return days.get(0).longValue("day");
    }

    private static long cost(DuckDbEventStore store, String table, long day) {
        String where = table.equals("calls") ? DuckDbRollups.day("time_ms") + " = " + day : "day = " + day;
        return query(store, "SELECT coalesce(sum(cost_nanos), 0)::BIGINT AS cost FROM " + table
                + " WHERE tenant_id = 'bench-a' AND " + where).get(0).longValue("cost");
    }

    /** Writes batches [from, to) of generated usage whose days run to the fixture's end; returns the events. */
    private static List<Event> writeUsage(DuckDbEventStore store, int from, int to) {
        EventGenerator generator = new EventGenerator(5, 8_000, 1_000, RollupFixture.END_MS + 86_400_000L, 30);
        List<Event> written = new java.util.ArrayList<>();
        for (int batch = from; batch < to; batch++) {
            List<Event> events = from >= 4 ? lastDays(generator.batch(batch)) : generator.batch(batch);
            store.write(events);
            written.addAll(events);
        }
        return written;
    }

    /** The second run writes only the last three days, so earlier days are the first run's alone. */
    private static List<Event> lastDays(List<Event> events) {
        long cutoff = RollupFixture.END_MS - 2 * 86_400_000L;
        return events.stream().filter(event -> event.timeMs >= cutoff).toList();
    }

    private static void corrupt(DuckDbDatabase database, String sql) {
        database.read(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
            return null;
        });
    }

    private static List<Row> query(DuckDbEventStore store, String sql) {
        return store.query(new SqlBuilder().append(sql).build());
    }

    /** The rows as text, to compare answers. */
    private static List<String> answer(DuckDbEventStore store, String sql) {
        return query(store, sql).stream().map(Row::toString).toList();
    }
}
