package dev.tally.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.bench.EventGenerator;
import dev.tally.event.Event;
import dev.tally.event.EventType;
import dev.tally.ingest.WriteOutcome;
import dev.tally.store.duckdb.DuckDbDatabase;
import dev.tally.store.duckdb.DuckDbEventStore;
import dev.tally.store.rollup.RollupRead;
import dev.tally.store.rollup.RollupTable;
import dev.tally.store.rollup.Rollups;
import dev.tally.store.sql.RawTable;
import dev.tally.store.sql.SqlBuilder;
import dev.tally.testing.ChatEvents;
import dev.tally.testing.ClickHouseCluster;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ClickHouse's recomputed rollups answer what its raw rows answer, and what DuckDB's rollups
 * answer for the same events: every table, every key, every measure, over ranges that start and
 * end inside hours. Then the ways an hour's rows can go stale: a late event, a call whose later
 * state moves it to another hour, a recomputation that must wait, rows of a generation never
 * recorded.
 */
class ClickHouseRollupsTest {
    private static final long HOUR_MS = 3_600_000L;
    /** 2026-03-15T00:00:00Z. */
    private static final long END_MS = 1_773_532_800_000L;

    private ClickHouseConfig config;
    private ClickHouseStore clickHouse;
    private ClickHouseEventStore store;
    private ClickHouseHttp http;

    @BeforeEach
    void open() {
        config = ClickHouseCluster.shared().newDatabase();
        clickHouse = ClickHouseStore.open(config);
        store = (ClickHouseEventStore) clickHouse.events();
        http = new ClickHouseHttp(config.endpoints(), ClickHouseStore.settings(config, true));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void hoursBeforeARetentionHorizonKeepTheirRollupsWhateverMarksThemAfterwards() {
        EventGenerator generator = new EventGenerator(3, 12_000, 1_000, END_MS, 4);
        for (int batch = 0; batch < generator.batches(); batch++) {
            store.write(generator.batch(batch));
        }
        store.recomputeRollups();
        long firstDay = Math.floorDiv(generator.startMs(), 24 * HOUR_MS) * 24 * HOUR_MS;
        long horizon = firstDay + 2 * 24 * HOUR_MS;
        List<RollupRead> reads = new java.util.ArrayList<>();
        for (dev.tally.store.rollup.RollupTable table : dev.tally.store.rollup.Rollups.ALL) {
            for (String tenant : EventGenerator.TENANTS) {
                reads.add(RollupRead.of(table, tenant, firstDay, END_MS));
                reads.add(RollupRead.of(table, tenant, firstDay, horizon));
            }
            reads.add(RollupRead.of(table, null, firstDay, END_MS));
        }
        List<Map<List<Object>, List<Long>>> before = RollupAnswers.of(store, reads);
        assertThat(before.stream().filter(answer -> !answer.isEmpty()).count()).isGreaterThan(reads.size() / 2);

        for (String tenant : EventGenerator.TENANTS) {
            assertThat(store.deleteRawBefore(tenant, horizon).get("events")).as(tenant).isPositive();
        }
        assertThat(http.query("SELECT count() AS n FROM events WHERE time_ms < " + horizon + " AND type != 'chat'")
                .get(0).longValue("n")).isZero();
        // marks newer than what the hours cover, as a correction's tombstone or a late chat would leave
        StringBuilder marks = new StringBuilder();
        for (String tenant : EventGenerator.TENANTS) {
            for (long hour = firstDay / HOUR_MS; hour < horizon / HOUR_MS; hour++) {
                marks.append("{\"tenant_id\": \"" + tenant + "\", \"hour\": " + hour + ", \"marked_ms\": "
                        + System.currentTimeMillis() + "}\n");
            }
        }
        http.insert(ClickHouseRollups.MARKS, marks.toString());
        assertThat(RollupAnswers.of(store, reads)).as("read from the rollups, not from the raw rows now gone")
                .isEqualTo(before);
        store.recomputeRollups();
        assertThat(RollupAnswers.of(store, reads)).as("never recomputed from the raw rows now gone").isEqualTo(before);
    }

    @Test
    void recomputedHoursAnswerAsRawRowsAndAsDuckDb() {
        EventGenerator generator = new EventGenerator(3, 12_000, 1_000, END_MS, 4);
        try (DuckDbDatabase database = DuckDbDatabase.inMemory();
             DuckDbEventStore duckDb = new DuckDbEventStore(database)) {
            for (int batch = 0; batch < generator.batches(); batch++) {
                List<Event> events = generator.batch(batch);
                store.write(events);
                duckDb.write(events);
            }
            List<RollupRead> reads = RollupAnswers.reads(new SplittableRandom(9), generator.startMs());
            List<Map<List<Object>, List<Long>>> raw = RollupAnswers.of(store, reads);

            assertThat(store.recomputeRollups()).as("hours recorded").isGreaterThan(4 * 24 / 2);

            assertThat(RollupAnswers.of(store, reads)).isEqualTo(raw);
            assertThat(RollupAnswers.of(duckDb, reads)).isEqualTo(raw);
            assertThat(RollupAnswers.of(duckDb.withoutRollups(), reads)).isEqualTo(raw);
            assertThat(raw.stream().filter(answer -> !answer.isEmpty()).count()).as("reads with rows")
                    .isGreaterThan(reads.size() / 2);
        }
        assertThat(store.recomputeRollups()).as("nothing left to recompute").isZero();
    }

    @Test
    void aRecordedHourIsReadFromItsGenerationsRowsOnly() {
        store.write(List.of(call("c1", hourMs(10) + 60_000, "completed")));
        store.recomputeRollups();
        long generation = http.query("SELECT generation FROM " + ClickHouseRollups.HOURS).get(0).longValue("generation");
        assertThat(calls(hourMs(1), hourMs(23))).isEqualTo(1);

        insertCallRow(generation + 1, 5);
        assertThat(calls(hourMs(1), hourMs(23))).as("rows of another generation are not read").isEqualTo(1);

        insertCallRow(generation, 5);
        assertThat(calls(hourMs(1), hourMs(23))).as("rows of the recorded generation are what is read").isEqualTo(6);
    }

    @Test
    void aLateEventCountsAtOnceAndAfterItsHourIsRecomputed() {
        store.write(List.of(llm("e1", hourMs(3) + 5), llm("e2", hourMs(4) + 5)));
        store.recomputeRollups();
        assertThat(llmEvents(hourMs(0), hourMs(24))).isEqualTo(2);

        store.write(List.of(llm("late", hourMs(3) + 10)));

        assertThat(llmEvents(hourMs(0), hourMs(24))).as("before recomputation: the hour is read raw").isEqualTo(3);
        assertThat(store.recomputeRollups()).as("only the late event's hour").isEqualTo(1);
        assertThat(llmEvents(hourMs(0), hourMs(24))).isEqualTo(3);
        assertThat(llmEvents(hourMs(3), hourMs(4))).isEqualTo(2);
    }

    @Test
    void aCallWhoseLaterStateMovesItLeavesItsOldHour() {
        store.write(List.of(call("c1", hourMs(2) + 1_000, "in_progress")));
        store.recomputeRollups();
        assertThat(calls(hourMs(2), hourMs(3))).isEqualTo(1);

        store.write(List.of(call("c1", hourMs(7) + 1_000, "completed")));

        assertThat(calls(hourMs(2), hourMs(3))).isZero();
        assertThat(calls(hourMs(7), hourMs(8))).isEqualTo(1);
        assertThat(store.recomputeRollups()).as("both hours").isEqualTo(2);
        assertThat(calls(hourMs(2), hourMs(3))).isZero();
        assertThat(calls(hourMs(7), hourMs(8))).isEqualTo(1);
    }

    @Test
    void aCallRowThatLandedUnrecordedIsCoveredWhenTheCallMoves() {
        // the calls row lands, then the write fails before call_states records it, and nobody retries
        store.injectFaults(step -> {
            if (step == ClickHouseWriteStep.CALLS_INSERTED) {
                throw new ClickHouseException("injected failure at " + step, null);
            }
        });
        assertThatThrownBy(() -> store.write(List.of(call("c1", hourMs(2) + 1_000, "in_progress"))))
                .hasMessageContaining("injected failure");
        store.injectFaults(null);
        assertThat(calls(hourMs(2), hourMs(3))).as("the row that landed").isEqualTo(1);

        // its next state carries another start time: the intent recorded before the failed insert names the old one
        store.write(List.of(call("c1", hourMs(7) + 1_000, "completed")));

        assertThat(calls(hourMs(0), hourMs(24))).isEqualTo(1);
        assertThat(calls(hourMs(2), hourMs(3))).isZero();
        store.recomputeRollups();
        assertThat(calls(hourMs(0), hourMs(24))).isEqualTo(1);
        assertThat(store.query(new SqlBuilder().append("SELECT count(*) AS n FROM " + store.rows(RawTable.CALLS)
                + "tenant_id = 'acme'").build()).get(0).longValue("n")).isEqualTo(1);
        assertThat(http.query("SELECT count() AS n FROM calls FINAL WHERE deleted = 1").get(0).longValue("n"))
                .as("the tombstone at the old start time").isEqualTo(1);
    }

    @Test
    void aWholeDayIsReadFromItsDayRowsWhileItsHoursAreUnchanged() {
        store.write(List.of(call("c1", hourMs(3), "completed"), call("c2", hourMs(9), "completed"),
                llm("e1", hourMs(3)), llm("e2", hourMs(20))));
        store.recomputeRollups();
        long dayGeneration = http.query("SELECT generation FROM " + ClickHouseDays.DAYS).get(0).longValue("generation");
        assertThat(calls(hourMs(0), hourMs(24))).isEqualTo(2);

        // rows added to the day table under its recorded generation show that the day rows are what is read
        insertDayCallRow(dayGeneration + 1);
        assertThat(calls(hourMs(0), hourMs(24))).as("day rows of another generation are not read").isEqualTo(2);
        insertDayCallRow(dayGeneration);
        assertThat(calls(hourMs(0), hourMs(24))).as("the recorded generation's day rows").isEqualTo(7);
        assertThat(calls(hourMs(1), hourMs(24))).as("a part of the day reads its hours").isEqualTo(2);

        // a late event changes an hour of the day: the day is read by the hour until it is built again
        store.write(List.of(call("c3", hourMs(5), "completed")));
        assertThat(calls(hourMs(0), hourMs(24))).isEqualTo(3);
        store.recomputeRollups();
        assertThat(calls(hourMs(0), hourMs(24))).as("built again from the hours").isEqualTo(3);
        assertThat(http.query("SELECT count() AS n FROM " + ClickHouseDays.DAYS + " FINAL").get(0).longValue("n"))
                .isEqualTo(1);
    }

    private void insertDayCallRow(long generation) {
        StringBuilder row = new StringBuilder("{\"tenant_id\":\"acme\",\"day\":" + Math.floorDiv(hourMs(10), 86_400_000L)
                + ",\"generation\":" + generation + ",\"agent_id\":\"a\",\"status\":\"completed\"");
        Rollups.CALLS_BY_AGENT.measures().forEach(measure -> row.append(",\"").append(measure.name()).append("\":")
                .append(measure.name().equals("calls") ? 5 : 0));
        http.insert(ClickHouseDays.table(Rollups.CALLS_BY_AGENT), row.append("}\n").toString());
    }

    /**
     * Two instances write states of one call at once, each with another start time: each looked
     * the call up before the other wrote, so neither covers the other's row. The worker leaves
     * the newest version live before it recomputes.
     */
    @Test
    void twoInstancesMovingOneCallAtOnceLeaveOneLiveRowOnceRecomputed() throws Exception {
        store.write(List.of(call("c1", hourMs(2) + 1_000, "in_progress")));
        ClickHouseEventStore other = (ClickHouseEventStore) ClickHouseStore.open(config).events();
        CountDownLatch looked = new CountDownLatch(1);
        CountDownLatch otherWrote = new CountDownLatch(1);
        store.injectFaults(step -> {
            if (step == ClickHouseWriteStep.PLANNED) {
                looked.countDown();
                try {
                    otherWrote.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        ExecutorService first = Executors.newSingleThreadExecutor();
        try {
            Future<?> slow = first.submit(() -> store.write(List.of(call("c1", hourMs(5) + 1_000, "completed"))));
            assertThat(looked.await(30, TimeUnit.SECONDS)).isTrue();
            other.write(List.of(call("c1", hourMs(7) + 1_000, "completed")));
            otherWrote.countDown();
            slow.get(30, TimeUnit.SECONDS);
        } finally {
            first.shutdownNow();
            other.close();
            store.injectFaults(null);
        }
        assertThat(liveCalls()).as("before the worker: both writers' rows").hasSize(2);

        store.recomputeRollups();
        store.recomputeRollups();

        assertThat(liveCalls()).as("the newest version, written last").containsExactly(hourMs(7) + 1_000);
        assertThat(calls(hourMs(0), hourMs(24))).isEqualTo(1);
        assertThat(calls(hourMs(7), hourMs(8))).isEqualTo(1);
        assertThat(store.write(List.of(call("c1", hourMs(9), "failed")))).containsExactly(WriteOutcome.UPDATED);
        assertThat(liveCalls()).as("a later state is written above the worker's tombstones").containsExactly(hourMs(9));
    }

    private List<Long> liveCalls() {
        return store.query(new SqlBuilder().append("SELECT time_ms FROM " + store.rows(RawTable.CALLS)
                + "tenant_id = 'acme' ORDER BY time_ms").build()).stream().map(row -> row.longValue("time_ms")).toList();
    }

    @Test
    void theWorkerWaitsForMarksToSettleAndHoursToEnd() {
        store.write(List.of(llm("old", hourMs(3)), llm("open", System.currentTimeMillis())));
        long now = System.currentTimeMillis();
        long openHour = Math.floorDiv(now, HOUR_MS);

        assertThat(new ClickHouseRollups(http, new ClickHouseDialect(), () -> now).recomputeDue())
                .as("marks just written").isZero();
        long later = now + ClickHouseRollups.SETTLE_MS + 1;
        assertThat(new ClickHouseRollups(http, new ClickHouseDialect(), () -> later).recomputeDue())
                .as("the closed hour only").isEqualTo(1);
        long afterTheHour = (openHour + 1) * HOUR_MS + ClickHouseRollups.SETTLE_MS;
        assertThat(new ClickHouseRollups(http, new ClickHouseDialect(), () -> afterTheHour).recomputeDue())
                .as("the hour that was open").isEqualTo(1);
    }

    private long calls(long fromMs, long toMs) {
        return sum(Rollups.CALLS_BY_AGENT, "calls", fromMs, toMs);
    }

    private long llmEvents(long fromMs, long toMs) {
        return sum(Rollups.LLM_BY_HOUR, "events", fromMs, toMs);
    }

    private long sum(RollupTable table, String measure, long fromMs, long toMs) {
        return store.query(new SqlBuilder().append("SELECT sum(" + measure + ") AS total FROM ")
                .append(store.rollup(RollupRead.of(table, "acme", fromMs, toMs))).append(" AS rows_read").build())
                .get(0).longValue("total");
    }

    private void insertCallRow(long generation, long calls) {
        StringBuilder row = new StringBuilder("{\"tenant_id\":\"acme\",\"hour\":" + Math.floorDiv(hourMs(10), HOUR_MS)
                + ",\"generation\":" + generation + ",\"agent_id\":\"a\",\"status\":\"completed\"");
        Rollups.CALLS_BY_AGENT.measures().forEach(measure -> row.append(",\"").append(measure.name()).append("\":")
                .append(measure.name().equals("calls") ? calls : 0));
        http.insert(Rollups.CALLS_BY_AGENT.name(), row.append("}\n").toString());
    }

    /** 2026-03-14 at {@code hour}:00 UTC. */
    private static long hourMs(int hour) {
        return END_MS - 24 * HOUR_MS + hour * HOUR_MS;
    }

    /** An llm event of tenant acme, with input tokens. */
    static Event llm(String id, long timeMs) {
        Event event = ChatEvents.llm(id, null, null, 0, timeMs);
        event.tenantId = "acme";
        event.model = "gpt-4o";
        event.inputTokens = 10;
        return event;
    }

    static Event call(String id, long timeMs, String status) {
        Event event = new Event();
        event.tenantId = "acme";
        event.id = id;
        event.type = EventType.CALL;
        event.timeMs = timeMs;
        event.agentId = "a";
        event.status = status;
        if (!status.equals("in_progress")) {
            event.endedMs = timeMs + 30_000;
            event.durationMs = 30_000L;
        }
        event.receivedMs = timeMs;
        return event;
    }
}
