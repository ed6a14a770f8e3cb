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
