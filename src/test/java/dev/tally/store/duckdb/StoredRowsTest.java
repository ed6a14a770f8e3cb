package dev.tally.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.bench.EventGenerator;
import dev.tally.event.Event;
import dev.tally.store.EventStoreContract;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.SqlBuilder;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Large tables are read back in slices (DuckDB's driver holds a query's whole result), ranges of
 * time and, where many rows share their times, of fingerprints: every row must come back exactly
 * once, whatever the slices.
 */
class StoredRowsTest {
    @Test
    void sliceCountsArePowersOfTwoCoveringTheRows() {
        assertThat(StoredRows.slices(0, 100)).isEqualTo(1);
        assertThat(StoredRows.slices(100, 100)).isEqualTo(1);
        assertThat(StoredRows.slices(101, 100)).isEqualTo(2);
        assertThat(StoredRows.slices(450, 100)).isEqualTo(8);
        assertThat(StoredRows.slices(90_000_000, StoredRows.ROWS_PER_SLICE)).isEqualTo(256);
        assertThat(StoredRows.slices(Long.MAX_VALUE / 2, 1)).isEqualTo(1 << 16);
    }

    @Test
    void everyRowComesBackOnceInSlicesWhileTheConsumerWritesOnTheSameConnection() throws Exception {
        DuckDbDatabase database = DuckDbDatabase.inMemory();
        try (DuckDbEventStore store = new DuckDbEventStore(database)) {
            EventGenerator generator = new EventGenerator(3, 3_000, 500, EventStoreContract.TIME_MS, 2, 0);
            for (int batch = 0; batch < generator.batches(); batch++) {
                store.write(generator.batch(batch));
            }
            try (var connection = database.newConnection(); Statement statement = connection.createStatement()) {
                assertThat(StoredRows.timeRanges(statement, "events", "", 32)).as("ranges of time").hasSize(32);
            }
            assertEveryRowReadOnce(store, database, "");
            assertEveryRowReadOnce(store, database, " AND call_id IS NOT NULL");
        } finally {
            database.close();
        }
    }

    @Test
    void rowsSharingOneTimeAreSlicedByTheirFingerprints() throws Exception {
        DuckDbDatabase database = DuckDbDatabase.inMemory();
        try (DuckDbEventStore store = new DuckDbEventStore(database)) {
            List<Event> events = new ArrayList<>();
            for (int index = 0; index < 1_000; index++) {
                events.add(RevisedExtremesTest.tokens("same-time-" + index, index, 0));
            }
            store.write(events);
            try (var connection = database.newConnection(); Statement statement = connection.createStatement()) {
                assertThat(StoredRows.timeRanges(statement, "events", "", 16)).as("one time, so one cut")
                        .hasSize(2);
            }
            assertEveryRowReadOnce(store, database, "");
        } finally {
            database.close();
        }
    }

    private static void assertEveryRowReadOnce(DuckDbEventStore store, DuckDbDatabase database, String filter)
            throws Exception {
        List<String> expected = new ArrayList<>();
        for (Row row : store.query(new SqlBuilder().append("SELECT tenant_id, id FROM events WHERE true"
                + filter + " ORDER BY tenant_id, id").build())) {
            expected.add(row.string("tenant_id") + "/" + row.string("id"));
        }
        assertThat(StoredRows.slices(expected.size(), 100)).as("slices").isGreaterThanOrEqualTo(8);
        List<String> read = new ArrayList<>();
        try (var connection = database.newConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TEMP TABLE written (id VARCHAR)");
            StoredRows.forEach(connection, "events", filter, 100, event -> {
                read.add(event.tenantId + "/" + event.id);
                statement.execute("INSERT INTO written VALUES ('" + event.id.replace("'", "''") + "')");
            });
            try (var result = statement.executeQuery("SELECT count(*) FROM written")) {
                result.next();
                assertThat(result.getLong(1)).as("rows written between reads").isEqualTo(read.size());
            }
        }
        assertThat(read).as("filter '%s'", filter).hasSameSizeAs(expected).containsExactlyInAnyOrderElementsOf(expected);
    }
}
