package dev.tally.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.store.EventStore;
import dev.tally.store.EventStoreContract;
import dev.tally.store.WriteOutcome;
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
}
