package dev.tally.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.bench.EventGenerator;
import dev.tally.event.Event;
import dev.tally.event.EventType;
import dev.tally.ingest.WriteOutcome;
import dev.tally.store.ReportStore;
import dev.tally.store.duckdb.DuckDbDatabase;
import dev.tally.store.duckdb.DuckDbEventStore;
import dev.tally.store.rollup.RollupRead;
import dev.tally.store.sql.RawTable;
import dev.tally.store.sql.SqlBuilder;
import dev.tally.testing.ClickHouseCluster;
import dev.tally.testing.Corrections;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A ClickHouse write that fails at any step, then is retried as a client retries a 503, counts
 * every event once: the raw rows, the rollups recomputed afterwards and DuckDB's answers for the
 * same events written once all agree. ClickHouse has no transaction across the steps, so this is
 * what the order of the steps (marks first, ids after their events) has to guarantee.
 */
class ClickHouseWriteFaultTest {
    private static final long HOUR_MS = 3_600_000L;
    /** 2026-03-15T00:00:00Z. */
    private static final long END_MS = 1_773_532_800_000L;

    @ParameterizedTest
    @EnumSource(ClickHouseWriteStep.class)
    void aWriteThatFailsAtAnyStepAndIsRetriedCountsOnce(ClickHouseWriteStep failingStep) {
        EventGenerator generator = new EventGenerator(5, 3_000, 500, END_MS, 3);
        ClickHouseStore clickHouse = ClickHouseStore.open(ClickHouseCluster.shared().newDatabase());
        ClickHouseEventStore store = (ClickHouseEventStore) clickHouse.events();
        try (DuckDbDatabase database = DuckDbDatabase.inMemory();
             DuckDbEventStore duckDb = new DuckDbEventStore(database)) {
            List<Event> earlierCalls = new ArrayList<>();
            List<Event> earlierEvents = new ArrayList<>();
            java.util.Random random = new java.util.Random(3);
            for (int batch = 0; batch < generator.batches(); batch++) {
                List<Event> events = new ArrayList<>(generator.batch(batch));
                if (batch % 2 == 1) {
                    // later states of calls already stored, one of them moved to another hour
                    events.addAll(laterStates(earlierCalls));
                    // and corrections of events already stored, some moved to other hours
                    for (int index = 0; index < Math.min(5, earlierEvents.size()); index++) {
                        events.add(Corrections.corrected(earlierEvents.get(earlierEvents.size() - 1 - 7 * index), random));
                    }
                }
                events.stream().filter(event -> event.type == EventType.CALL).forEach(earlierCalls::add);
                events.stream().filter(event -> event.type != EventType.CALL && event.revision == 0)
                        .forEach(earlierEvents::add);
                duckDb.write(events);
                AtomicBoolean failed = new AtomicBoolean();
                store.injectFaults(step -> {
                    if (step == failingStep && failed.compareAndSet(false, true)) {
                        throw new ClickHouseException("injected failure at " + step);
                    }
                });
                boolean reachesStep = reaches(failingStep, events);
                if (reachesStep) {
                    assertThatThrownBy(() -> store.write(events)).hasMessageContaining("injected failure at " + failingStep);
                }
                store.injectFaults(null);
                List<WriteOutcome> retried = store.write(events);
                assertThat(retried).doesNotContain(WriteOutcome.REJECTED);
            }
            assertCountedOnce(store, duckDb, generator.startMs());
        } finally {
            store.close();
        }
    }

    /**
     * An insert can store its events on a shard and fail before their ids (the view's insert):
     * simulated by taking each batch's ids back out of {@code event_ids} after its write, the
     * retry finds none of them, writes the same rows again, and still every event counts once.
     */
    @Test
    void eventsStoredWithoutTheirIdsCountOnceWhenRetried() {
        EventGenerator generator = new EventGenerator(5, 2_000, 500, END_MS, 3);
        ClickHouseConfig config = ClickHouseCluster.shared().newDatabase();
        ClickHouseStore clickHouse = ClickHouseStore.open(config);
        ClickHouseEventStore store = (ClickHouseEventStore) clickHouse.events();
        ClickHouseHttp http = new ClickHouseHttp(config.endpoints(), Map.of());
        try (DuckDbDatabase database = DuckDbDatabase.inMemory();
             DuckDbEventStore duckDb = new DuckDbEventStore(database)) {
            List<Event> earlierEvents = new ArrayList<>();
            java.util.Random random = new java.util.Random(5);
            for (int batch = 0; batch < generator.batches(); batch++) {
                List<Event> events = new ArrayList<>(generator.batch(batch));
                for (int index = 0; batch % 2 == 1 && index < Math.min(5, earlierEvents.size()); index++) {
                    events.add(Corrections.corrected(earlierEvents.get(earlierEvents.size() - 1 - 7 * index), random));
                }
                events.stream().filter(event -> event.type != EventType.CALL && event.revision == 0)
                        .forEach(earlierEvents::add);
                duckDb.write(events);
                store.write(events);
                String ids = events.stream().filter(event -> event.type != EventType.CALL)
                        .map(event -> "'" + event.id + "'").collect(java.util.stream.Collectors.joining(", "));
                for (URI endpoint : config.endpoints()) {
                    http.executeOn(endpoint, "ALTER TABLE " + config.database() + "." + ClickHouseSchema.EVENT_IDS
                            + "_local DELETE WHERE id IN (" + ids + ")");
                }
                awaitMutations(http, config);
                assertThat(store.write(events)).as("the retry finds no id of its batch").doesNotContain(
                        WriteOutcome.DUPLICATE, WriteOutcome.REJECTED);
            }
            assertCountedOnce(store, duckDb, generator.startMs());
        } finally {
            store.close();
        }
    }

    /** The ClickHouse store's raw rows and rollups answer as DuckDB's with every event written once. */
    private static void assertCountedOnce(ClickHouseEventStore store, DuckDbEventStore duckDb, long startMs) {
        List<RollupRead> reads = RollupAnswers.reads(new SplittableRandom(11), startMs);
        List<Map<List<Object>, List<Long>>> once = RollupAnswers.of(duckDb.withoutRollups(), reads);
        assertThat(RollupAnswers.of(store, reads)).as("raw rows after the retries").isEqualTo(once);
        store.recomputeRollups();
        assertThat(RollupAnswers.of(store, reads)).as("recomputed rollups").isEqualTo(once);
        assertThat(count(store, RawTable.EVENTS)).isEqualTo(count(duckDb, RawTable.EVENTS));
        assertThat(count(store, RawTable.CALLS)).isEqualTo(count(duckDb, RawTable.CALLS));
        assertThat(sum(store, "revision")).as("the corrections stand").isEqualTo(sum(duckDb, "revision")).isPositive();
        assertThat(sum(store, "cost_nanos")).isEqualTo(sum(duckDb, "cost_nanos"));
        assertThat(once.stream().filter(answer -> !answer.isEmpty()).count()).as("reads with rows")
                .isGreaterThan(reads.size() / 2);
    }

    private static void awaitMutations(ClickHouseHttp http, ClickHouseConfig config) {
        for (URI endpoint : config.endpoints()) {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (http.queryOn(endpoint, "SELECT count() AS n FROM system.mutations WHERE database = '"
                    + config.database() + "' AND is_done = 0").get(0).longValue("n") > 0) {
                assertThat(System.nanoTime()).as("mutations done within 30 s").isLessThan(deadline);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(interrupted);
                }
            }
        }
    }

    /** Whether a write of these events gets to the step at all (no calls: no calls insert). */
    private static boolean reaches(ClickHouseWriteStep step, List<Event> events) {
        boolean calls = events.stream().anyMatch(event -> event.type == EventType.CALL);
        boolean others = events.stream().anyMatch(event -> event.type != EventType.CALL);
        return switch (step) {
            case PLANNED, MARKED, WRITTEN -> true;
            case EVENTS_INSERTED -> others;
            case CALL_INTENTS_RECORDED, CALLS_INSERTED, CALL_STATES_RECORDED -> calls;
        };
    }

    private static List<Event> laterStates(List<Event> calls) {
        List<Event> later = new ArrayList<>();
        for (int index = 0; index < Math.min(3, calls.size()); index++) {
            Event stored = calls.get(calls.size() - 1 - index);
            Event state = stored.copy();
            state.status = "failed";
            state.sentiment = "negative";
            if (index == 0) {
                state.timeMs = stored.timeMs - 2 * HOUR_MS;
                state.endedMs = stored.endedMs == null ? null : stored.endedMs - 2 * HOUR_MS;
            }
            later.add(state);
        }
        return later;
    }

    private static long sum(ReportStore store, String column) {
        return store.query(new SqlBuilder().append("SELECT sum(" + column + ") AS n FROM " + store.rows(RawTable.EVENTS)
                + "1 = 1").build()).get(0).longValue("n");
    }

    private static long count(ReportStore store, RawTable table) {
        return store.query(new SqlBuilder().append("SELECT count(*) AS n FROM " + store.rows(table) + "1 = 1").build())
                .get(0).longValue("n");
    }
}
