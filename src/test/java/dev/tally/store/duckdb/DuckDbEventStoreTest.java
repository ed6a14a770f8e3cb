package dev.tally.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.ingest.WriteOutcome;
import dev.tally.store.EventStore;
import dev.tally.store.EventStoreContract;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuckDbEventStoreTest extends EventStoreContract {
    private DuckDbDatabase database;

    @Override
    protected EventStore newStore() {
        database = DuckDbDatabase.inMemory();
        return new DuckDbEventStore(database);
    }

    @Override
    protected void closeStore(EventStore opened) {
        opened.close();
        database.close();
    }

    /** The lookup reads near the batch's times first; what it does not find there it still finds anywhere. */
    @Test
    void storedRowsFarFromTheBatchsTimesAreStillFound() {
        long far = 3 * LookupWindows.MARGIN_MS;
        dev.tally.event.Event stored = llm("acme", "e1");
        dev.tally.event.Event callState = call("acme", "c1", "in_progress", null, null);
        store.write(List.of(stored, callState));

        // every time in these batches is more than the margin away from the stored rows' time
        dev.tally.event.Event near = llm("acme", "e2");
        near.timeMs = TIME_MS + far;
        dev.tally.event.Event corrected = llm("acme", "e1");
        corrected.revision = 1;
        corrected.timeMs = TIME_MS + far;
        dev.tally.event.Event moved = call("acme", "c1", "completed", TIME_MS + far + 60_000, 60_000L);
        moved.timeMs = TIME_MS + far;
        dev.tally.event.Event later = llm("acme", "e3");
        later.timeMs = TIME_MS + far;

        assertThat(store.write(List.of(near, corrected))).containsExactly(WriteOutcome.STORED, WriteOutcome.UPDATED);
        assertThat(store.write(List.of(later, moved))).containsExactly(WriteOutcome.STORED, WriteOutcome.UPDATED);
        assertThat(count("events", "acme")).isEqualTo(3);
        assertThat(count("calls", "acme")).isEqualTo(1);
    }

    @Test
    void storedIdsAreKnownAfterReopeningTheFile(@TempDir Path directory) {
        DuckDbDatabase first = DuckDbDatabase.open(directory);
        try (DuckDbEventStore written = new DuckDbEventStore(first)) {
            assertThat(written.write(List.of(llm("acme", "e1"), llm("acme", "e2"))))
                    .containsExactly(WriteOutcome.STORED, WriteOutcome.STORED);
        }
        first.close();

        DuckDbDatabase second = DuckDbDatabase.open(directory);
        try (DuckDbEventStore reopened = new DuckDbEventStore(second)) {
            assertThat(reopened.write(List.of(llm("acme", "e1"), llm("acme", "e2"), llm("acme", "e3"))))
                    .containsExactly(WriteOutcome.DUPLICATE, WriteOutcome.DUPLICATE, WriteOutcome.STORED);
        } finally {
            second.close();
        }
    }

    @Test
    void storedCallsAreKnownAfterReopeningTheFile(@TempDir Path directory) {
        DuckDbDatabase first = DuckDbDatabase.open(directory);
        try (DuckDbEventStore written = new DuckDbEventStore(first)) {
            assertThat(written.write(List.of(call("acme", "c1", "in_progress", null, null),
                    call("acme", "c2", "completed", TIME_MS + 60_000, 60_000L))))
                    .containsExactly(WriteOutcome.STORED, WriteOutcome.STORED);
        }
        first.close();

        DuckDbDatabase second = DuckDbDatabase.open(directory);
        try (DuckDbEventStore reopened = new DuckDbEventStore(second)) {
            assertThat(reopened.write(List.of(call("acme", "c1", "completed", TIME_MS + 90_000, 90_000L),
                    call("acme", "c2", "in_progress", null, null), call("acme", "c3", "in_progress", null, null))))
                    .containsExactly(WriteOutcome.UPDATED, WriteOutcome.STALE, WriteOutcome.STORED);
            assertThat(reopened.query(new dev.tally.store.sql.SqlBuilder()
                    .append("SELECT count(*) AS calls FROM calls").build()).get(0).longValue("calls")).isEqualTo(3);
        } finally {
            second.close();
        }
    }
}
