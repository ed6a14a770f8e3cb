package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.bench.EventGenerator;
import dev.tally.event.Event;
import dev.tally.event.EventType;
import dev.tally.ingest.WriteOutcome;
import dev.tally.store.duckdb.DuckDbDatabase;
import dev.tally.store.duckdb.DuckDbEventStore;
import dev.tally.store.duckdb.WriteFaults;
import dev.tally.store.duckdb.WriteStep;
import dev.tally.store.rollup.RollupFixture;
import dev.tally.store.sql.SqlBuilder;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An event the store cannot write fails only itself: the writer's group commit, which holds other
 * requests' and other tenants' events, is written again in parts, the bad event is rejected by name
 * and everything else is stored exactly once. A store that cannot write at all fails every request,
 * to be retried, and rejects nothing.
 */
class BatchWriterIsolationTest {
    private DuckDbDatabase database;
    private DuckDbEventStore store;
    private BatchWriter writer;

    @BeforeEach
    void open() {
        database = DuckDbDatabase.inMemory();
        store = new DuckDbEventStore(database);
        writer = new BatchWriter(store);
    }

    @AfterEach
    void close() {
        writer.close();
        store.close();
        database.close();
    }

    @Test
    void aPoisonedEventIsRejectedAloneAndItsNeighboursAreStoredOnce() throws Exception {
        Set<String> poisoned = Set.of("bench-b-p1", "bench-c-p2");
        store.injectFaults(new WriteFaults() {
            @Override
            public void appending(Event event) throws SQLException {
                if (poisoned.contains(event.id)) {
                    throw new SQLException("injected: cannot store " + event.id);
                }
            }
        });
        List<List<Event>> requests = requests();
        requests.get(1).add(37, llm("bench-b", "bench-b-p1"));
        requests.get(2).add(llm("bench-c", "bench-c-p2"));
        int sent = requests.stream().mapToInt(List::size).sum();

        // queued together, so the writer commits them as one group
        List<CompletableFuture<List<WriteOutcome>>> answers = new ArrayList<>();
        for (List<Event> request : requests) {
            answers.add(writer.submit(request));
        }
        Set<String> rejected = new HashSet<>();
        long storedOrUpdated = 0;
        for (int request = 0; request < requests.size(); request++) {
            List<WriteOutcome> outcomes = answers.get(request).get();
            assertThat(outcomes).hasSize(requests.get(request).size());
            for (int index = 0; index < outcomes.size(); index++) {
                switch (outcomes.get(index)) {
                    case REJECTED -> rejected.add(requests.get(request).get(index).id);
                    case STORED, UPDATED -> storedOrUpdated++;
                    case DUPLICATE, STALE -> { }
                }
            }
        }
        assertThat(rejected).isEqualTo(poisoned);
        long stored = count("SELECT count(*) AS n FROM events") + count("SELECT count(*) AS n FROM calls");
        assertThat(stored).isEqualTo(sent - poisoned.size()).isEqualTo(storedOrUpdated);
        // the rollups count each stored event once: the llm rollup's count equals the raw rows
        assertThat(count("SELECT sum(events) AS n FROM rollup_usage_by_model WHERE type = 'llm'"))
                .isEqualTo(count("SELECT count(*) AS n FROM events WHERE type = 'llm'"));

        // the rejected events, sent again once the store can take them, are stored; the rest are duplicates
        store.injectFaults(WriteFaults.NONE);
        List<WriteOutcome> again = writer.write(requests.get(1));
        assertThat(again.stream().filter(outcome -> outcome == WriteOutcome.STORED).count()).isEqualTo(1);
    }

    @Test
    void aStoreThatCannotWriteFailsEveryRequestAndRejectsNothing() throws Exception {
        store.injectFaults(new WriteFaults() {
            @Override
            public void reached(WriteStep step) throws SQLException {
                if (step == WriteStep.COMMIT) {
                    throw new SQLException("injected: the disk is full");
                }
            }
        });
        List<CompletableFuture<List<WriteOutcome>>> answers = new ArrayList<>();
        for (List<Event> request : requests()) {
            answers.add(writer.submit(request.subList(0, 40)));
        }
        for (CompletableFuture<List<WriteOutcome>> answer : answers) {
            try {
                answer.get();
                throw new AssertionError("a write succeeded on a store that cannot commit");
            } catch (ExecutionException failed) {
                assertThat(failed.getCause()).isInstanceOf(StoreFailure.class);
            }
        }
        assertThat(count("SELECT count(*) AS n FROM events")).isZero();
        assertThat(count("SELECT count(*) AS n FROM calls")).isZero();
    }

    /** Three tenants' batches of generated usage. */
    private static List<List<Event>> requests() {
        EventGenerator generator = new EventGenerator(11, 1_500, 500, RollupFixture.END_MS, 10);
        List<List<Event>> requests = new ArrayList<>();
        for (int index = 0; index < generator.batches(); index++) {
            requests.add(new ArrayList<>(generator.batch(index)));
        }
        return requests;
    }

    private static Event llm(String tenant, String id) {
        Event event = new Event();
        event.tenantId = tenant;
        event.id = id;
        event.type = EventType.LLM;
        event.timeMs = RollupFixture.END_MS - 3_600_000;
        event.endedMs = event.timeMs + 800;
        event.provider = "openai";
        event.model = "gpt-4o";
        event.inputTokens = 100;
        event.outputTokens = 20;
        return event;
    }

    private long count(String sql) {
        return store.query(new SqlBuilder().append(sql).build()).get(0).longValue("n");
    }
}
