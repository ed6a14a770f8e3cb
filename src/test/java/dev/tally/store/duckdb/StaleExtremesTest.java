package dev.tally.store.duckdb;

import static dev.tally.store.duckdb.RevisedExtremesTest.tokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.store.EventStoreContract;
import dev.tally.store.rollup.RollupRead;
import dev.tally.store.rollup.RollupTable;
import dev.tally.store.rollup.Rollups;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.SqlBuilder;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A correction that takes a group's minimum lists the group with stale extremes ({@link StaleExtremes})
 * instead of rebuilding it in the write. The listing commits with the write or not at all; a read of
 * the group's extremes is exact all the same; the groups are rebuilt when the writer is idle, at
 * opening, and by a read that meets one; and a rebuild that fails leaves them listed.
 */
class StaleExtremesTest {
    private static final long DAY_MS = 86_400_000L;
    private static final long DAY_START = Math.floorDiv(EventStoreContract.TIME_MS, DAY_MS) * DAY_MS;

    @Test
    void aTakenMinimumIsListedAndReadExactlyBeforeItsRebuild() {
        DuckDbDatabase database = DuckDbDatabase.inMemory();
        try (DuckDbEventStore store = new DuckDbEventStore(database)) {
            store.write(List.of(tokens("e1", 10, 0), tokens("e2", 20, 0), tokens("e3", 30, 0)));
            assertThat(listed(store)).as("nothing taken yet").isZero();
            store.write(List.of(tokens("e1", 15, 1)));
            assertThat(listed(store)).as("the hour and the day listed").isEqualTo(2);
            assertThat(storedMinimum(store)).as("the stored rows still hold the bound").isEqualTo(10);

            Row sums = read(store, Rollups.LLM_BY_HOUR, "output_tokens_sum");
            assertThat(sums.longValue("value")).isEqualTo(65);
            assertThat(listed(store)).as("a read of sums does not ask for a rebuild").isEqualTo(2);

            for (RollupTable table : List.of(Rollups.LLM_BY_HOUR, Rollups.LLM_BY_DAY)) {
                assertThat(read(store, table, "output_tokens_min").longValue("value")).as(table.name()).isEqualTo(15);
                assertThat(read(store, table, "output_tokens_max").longValue("value")).as(table.name()).isEqualTo(30);
            }
            assertThat(listed(store)).as("rebuilt by the read that met them").isZero();
            assertThat(storedMinimum(store)).isEqualTo(15);
            assertThat(store.checkRollups(false).total()).isZero();
        } finally {
            database.close();
        }
    }

    @Test
    void anIdleWriterRebuildsTheListedGroups() {
        DuckDbDatabase database = DuckDbDatabase.inMemory();
        try (DuckDbEventStore store = new DuckDbEventStore(database)) {
            store.write(List.of(tokens("e1", 10, 0), tokens("e2", 20, 0)));
            store.write(List.of(tokens("e2", 5, 1)));
            assertThat(listed(store)).as("the maximum 20 taken").isEqualTo(2);
            store.idle();
            assertThat(listed(store)).isZero();
            assertThat(storedMinimum(store)).isEqualTo(5);
            assertThat(store.checkRollups(false).total()).isZero();
        } finally {
            database.close();
        }
    }

    @Test
    void aFailedWriteListsNothingAndAFailedRebuildLeavesTheListing() {
        DuckDbDatabase database = DuckDbDatabase.inMemory();
        try (DuckDbEventStore store = new DuckDbEventStore(database)) {
            store.write(List.of(tokens("e1", 10, 0), tokens("e2", 20, 0)));
            store.injectFaults(failingAt(WriteStep.COMMIT));
            assertThatThrownBy(() -> store.write(List.of(tokens("e1", 15, 1))))
                    .hasMessageContaining("injected");
            assertThat(listed(store)).as("rolled back with the write").isZero();

            store.injectFaults(WriteFaults.NONE);
            store.write(List.of(tokens("e1", 15, 1)));
            assertThat(listed(store)).isEqualTo(2);

            store.injectFaults(failingAt(WriteStep.STALE_EXTREMES_REBUILT));
            store.idle();
            assertThat(listed(store)).as("a failed rebuild leaves them listed").isEqualTo(2);
            assertThat(storedMinimum(store)).as("and the rows as they were").isEqualTo(10);

            store.injectFaults(WriteFaults.NONE);
            store.idle();
            assertThat(listed(store)).isZero();
            assertThat(storedMinimum(store)).isEqualTo(15);
            assertThat(store.checkRollups(false).total()).isZero();
        } finally {
            database.close();
        }
    }

    /** Rollups outlive the raw rows retention deletes: a group listed before is rebuilt while its rows exist. */
    @Test
    void retentionRebuildsTheListedGroupsBeforeDeletingTheirRawRows() {
        DuckDbDatabase database = DuckDbDatabase.inMemory();
        try (DuckDbEventStore store = new DuckDbEventStore(database)) {
            store.write(List.of(tokens("e1", 10, 0), tokens("e2", 20, 0)));
            store.write(List.of(tokens("e1", 15, 1)));
            assertThat(listed(store)).isEqualTo(2);
            store.deleteRawBefore("acme", DAY_START + DAY_MS);
            assertThat(store.query(new SqlBuilder().append("SELECT count(*) AS n FROM events WHERE tenant_id = 'acme'")
                    .build()).get(0).longValue("n")).as("raw rows deleted").isZero();
            for (RollupTable table : List.of(Rollups.LLM_BY_HOUR, Rollups.LLM_BY_DAY)) {
                assertThat(read(store, table, "output_tokens_min").longValue("value")).as(table.name()).isEqualTo(15);
                assertThat(read(store, table, "output_tokens_sum").longValue("value")).as(table.name()).isEqualTo(35);
            }
        } finally {
            database.close();
        }
    }

    @Test
    void aListingLeftByTheLastRunIsRebuiltAtOpening(@TempDir Path directory) {
        DuckDbDatabase first = DuckDbDatabase.open(directory);
        try (DuckDbEventStore store = new DuckDbEventStore(first)) {
            store.write(List.of(tokens("e1", 10, 0), tokens("e2", 20, 0)));
            store.write(List.of(tokens("e1", 30, 1)));
            assertThat(listed(store)).isEqualTo(2);
        } finally {
            first.close();
        }
        DuckDbDatabase second = DuckDbDatabase.open(directory);
        try {
            long leftListed = second.read(StaleExtremesTest::listedIn);
            assertThat(leftListed).as("left listed by the last run").isEqualTo(2);
            try (DuckDbEventStore store = new DuckDbEventStore(second)) {
                assertThat(listed(store)).isZero();
                assertThat(storedMinimum(store)).isEqualTo(20);
                assertThat(store.checkRollups(false).total()).isZero();
            }
        } finally {
            second.close();
        }
    }

    /** One aggregate of a measure over the day, read through the store's relation as a report reads it. */
    private static Row read(DuckDbEventStore store, RollupTable table, String measure) {
        String aggregate = measure.endsWith("_min") ? "min" : measure.endsWith("_max") ? "max" : "sum";
        RollupRead read = RollupRead.of(table, "acme", DAY_START, DAY_START + DAY_MS).measures(measure);
        return store.query(new SqlBuilder().append("SELECT CAST(" + aggregate + "(" + measure + ") AS BIGINT) AS value FROM ")
                .append(store.rollup(read)).append(" AS relation").build()).get(0);
    }

    /** The minimum the hourly table's rows hold, not through the store's relation. */
    private static long storedMinimum(DuckDbEventStore store) {
        return store.query(new SqlBuilder().append("SELECT min(output_tokens_min) AS low FROM rollup_llm_by_hour"
                + " WHERE tenant_id = 'acme'").build()).get(0).longValue("low");
    }

    /** Rows listed in both lists, a group listed twice counted twice. */
    private static final String LISTED = "SELECT (SELECT count(*) FROM rollup_llm_by_hour_stale)"
            + " + (SELECT count(*) FROM rollup_llm_by_day_stale) AS listed";

    private static long listed(DuckDbEventStore store) {
        return store.query(new SqlBuilder().append(LISTED).build()).get(0).longValue("listed");
    }

    /** The same on a connection of a database no store has opened yet. */
    private static long listedIn(java.sql.Connection connection) throws SQLException {
        try (var statement = connection.createStatement();
             var result = statement.executeQuery(LISTED)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static WriteFaults failingAt(WriteStep failing) {
        return new WriteFaults() {
            @Override
            public void reached(WriteStep step) throws SQLException {
                if (step == failing) {
                    throw new SQLException("injected failure at " + step);
                }
            }
        };
    }
}
