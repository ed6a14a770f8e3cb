package dev.tally.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.bench.EventGenerator;
import dev.tally.store.rollup.RollupFixture;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Tests and tools fold, refresh and check the rollups from their own thread while the writer
 * thread writes and folds on the same connection: each waits for the other, so no statement
 * meets a transaction the other aborted, and the rollups still agree with the raw rows.
 */
class WriterConnectionSharedTest {

    @Test
    void foldsFromAnotherThreadWhileWritingAbortNothing() throws Exception {
        try (DuckDbDatabase database = DuckDbDatabase.inMemory(); DuckDbEventStore store = new DuckDbEventStore(database)) {
            EventGenerator generator = new EventGenerator(4, 12_000, 200, RollupFixture.END_MS, 11);
            AtomicBoolean writing = new AtomicBoolean(true);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    for (int batch = 0; batch < generator.batches(); batch++) {
                        store.write(generator.batch(batch));
                        store.idle();
                    }
                } finally {
                    writing.set(false);
                }
            });
            AtomicInteger folds = new AtomicInteger();
            while (writing.get()) {
                store.compactRollups();
                store.refreshCallCostRows();
                folds.incrementAndGet();
                // a moment between folds, so the writer is not starved of the connection
                Thread.sleep(2);
            }
            writer.get();

            assertThat(folds.get()).as("folds while writing").isGreaterThan(1);
            assertThat(store.checkRollups(false).total()).as("rollup groups that differ from the raw rows").isZero();
        }
    }
}
