package dev.tally.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.bench.EventGenerator;
import dev.tally.store.rollup.RollupFixture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/**
 * The gauge a bench or an operator watches to know whether DuckDB's reads are at their speed yet:
 * 1 from a write until the idle writer has folded and refreshed what it left, then 0.
 */
class RollupWorkDueGaugeTest {

    @Test
    void aWriteLeavesUpkeepDueUntilTheIdleWriterHasDoneIt() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (DuckDbDatabase database = DuckDbDatabase.inMemory();
             DuckDbEventStore store = new DuckDbEventStore(database)) {
            store.instrument(registry);
            assertThat(due(registry)).as("nothing written").isZero();

            store.write(new EventGenerator(3, 2_000, 1_000, RollupFixture.END_MS, 5).batch(0));
            assertThat(due(registry)).as("after a write").isEqualTo(1);

            int idleMoments = 0;
            while (due(registry) == 1 && idleMoments < 10) {
                store.idle();
                idleMoments++;
            }
            assertThat(due(registry)).as("after " + idleMoments + " idle moments").isZero();
            store.idle();
            assertThat(due(registry)).as("an idle writer with nothing to do").isZero();
        }
    }

    private static double due(SimpleMeterRegistry registry) {
        return registry.get("tally.store.rollup.work.due").gauge().value();
    }
}
