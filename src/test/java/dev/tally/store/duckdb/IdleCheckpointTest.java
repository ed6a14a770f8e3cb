package dev.tally.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.bench.EventGenerator;
import dev.tally.store.rollup.RollupFixture;
import dev.tally.store.sql.Sql;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file's log is folded into it once the writer has been idle a while and the log is large:
 * reads after a burst then read the folded rows, not the log's. A fold another connection's write
 * refuses waits for the next write rather than being tried at every idle moment.
 */
class IdleCheckpointTest {

    @Test
    void anIdleWriterFoldsALargeLogAndTheGaugeSaysSoUntilThen(@TempDir Path directory) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (DuckDbDatabase database = DuckDbDatabase.open(directory);
             DuckDbEventStore store = new DuckDbEventStore(database)) {
            store.instrument(registry);
            writeUntilTheLogIsLarge(database, store);
            assertThat(due(registry)).as("a large log").isEqualTo(1);
            Sql stored = new Sql("SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM calls) AS stored", List.of());
            long before = store.query(stored).get(0).longValue("stored");

            idleUntilQuiet(store);
            assertThat(database.logBytes()).as("the log once folded").isLessThan(DuckDbEventStore.IDLE_CHECKPOINT_BYTES);
            assertThat(due(registry)).as("after the fold").isZero();
            assertThat(store.query(stored).get(0).longValue("stored")).as("rows after the fold").isEqualTo(before);
        }
    }

    @Test
    void aFoldRefusedWaitsForTheNextWrite(@TempDir Path directory) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (DuckDbDatabase database = DuckDbDatabase.open(directory);
             DuckDbEventStore store = new DuckDbEventStore(database);
             var other = database.newConnection();
             Statement statement = other.createStatement()) {
            store.instrument(registry);
            writeUntilTheLogIsLarge(database, store);
            statement.execute("CREATE TABLE elsewhere (n INTEGER)");
            statement.execute("BEGIN TRANSACTION");
            statement.execute("INSERT INTO elsewhere VALUES (1)");
            idleUntilQuiet(store);
            long refused = database.logBytes();
            assertThat(refused).as("a log another write held").isGreaterThanOrEqualTo(DuckDbEventStore.IDLE_CHECKPOINT_BYTES);
            assertThat(due(registry)).as("a refused fold is not due again before a write").isZero();
            statement.execute("COMMIT");
            store.idle();
            assertThat(database.logBytes()).as("no fold tried again before a write").isGreaterThanOrEqualTo(refused);

            store.write(new EventGenerator(9, 500, 500, RollupFixture.END_MS, 3).batch(0));
            idleUntilQuiet(store);
            assertThat(database.logBytes()).as("folded after the next write").isLessThan(
                    DuckDbEventStore.IDLE_CHECKPOINT_BYTES);
        }
    }

    /** Writes batches until the log holds the fold's threshold; returns the events written. */
    private static long writeUntilTheLogIsLarge(DuckDbDatabase database, DuckDbEventStore store) {
        EventGenerator generator = new EventGenerator(5, 400_000, 5_000, RollupFixture.END_MS, 3);
        long events = 0;
        for (int batch = 0; batch < generator.batches() && database.logBytes() < DuckDbEventStore.IDLE_CHECKPOINT_BYTES;
                batch++) {
            List<dev.tally.event.Event> rows = generator.batch(batch);
            store.write(rows);
            events += rows.size();
        }
        assertThat(database.logBytes()).as("the log after " + events + " events")
                .isGreaterThanOrEqualTo(DuckDbEventStore.IDLE_CHECKPOINT_BYTES);
        return events;
    }

    /** Idle moments, as the writer has them, until it has been quiet long enough to fold and did what was due. */
    private static void idleUntilQuiet(DuckDbEventStore store) throws InterruptedException {
        Thread.sleep(DuckDbEventStore.IDLE_CHECKPOINT_QUIET_NANOS / 1_000_000 + 100);
        for (int moment = 0; moment < 20; moment++) {
            store.idle();
        }
    }

    private static double due(SimpleMeterRegistry registry) {
        return registry.get("tally.store.rollup.work.due").gauge().value();
    }
}
