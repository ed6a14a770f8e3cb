package dev.tally.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.bench.EventGenerator;
import dev.tally.event.Event;
import dev.tally.event.EventType;
import dev.tally.ingest.WriteOutcome;
import dev.tally.store.rollup.RollupFixture;
import dev.tally.store.rollup.RollupTable;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.SqlBuilder;
import dev.tally.testing.Corrections;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A write that fails at any step leaves the store exactly as it was, and its retry stores the batch
 * exactly once: the tables then equal those of a store that took the same batches without a fault.
 * The failing batch holds more than 2,048 events, DuckDB's Appender chunk, so a chunk committed on
 * its own would show.
 */
class WriteFaultTest {
    private static final int BATCH = 3_000;

    /** A step and how many times it is passed before it fails (the rollup tables are passed once each). */
    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of(WriteStep.BEGUN, 1),
                Arguments.of(WriteStep.EVENTS_DELETED, 1),
                Arguments.of(WriteStep.EVENTS_APPENDED, 1),
                Arguments.of(WriteStep.CALLS_WRITTEN, 1),
                Arguments.of(WriteStep.ROLLUP_TABLE_APPENDED, 1),
                Arguments.of(WriteStep.ROLLUP_TABLE_APPENDED, 3),
                // the last table passed is the per-call cost table
                Arguments.of(WriteStep.ROLLUP_TABLE_APPENDED, 9),
                Arguments.of(WriteStep.ROLLUPS_APPENDED, 1),
                Arguments.of(WriteStep.COMMIT, 1));
    }

    @ParameterizedTest(name = "fails at {0} #{1}")
    @MethodSource("faults")
    void aFailedWriteLeavesTheStoreAsItWasAndItsRetryStoresOnce(WriteStep step, int occurrence) {
        Batches batches = new Batches();
        try (Store faulted = new Store(); Store reference = new Store()) {
            faulted.store.write(batches.first);
            reference.store.write(batches.first);
            List<String> before = faulted.snapshot();

            faulted.store.injectFaults(new FailAt(step, occurrence));
            assertThatThrownBy(() -> faulted.store.write(batches.second)).hasMessageContaining("injected");
            assertThat(faulted.snapshot()).as("the store after a failure at " + step).isEqualTo(before);

            faulted.store.injectFaults(WriteFaults.NONE);
            List<WriteOutcome> retried = faulted.store.write(batches.second);
            assertThat(retried).isEqualTo(reference.store.write(batches.second));
            assertThat(retried).doesNotContain(WriteOutcome.REJECTED);
            assertThat(faulted.snapshot()).isEqualTo(reference.snapshot());
        }
    }

    /**
     * A commit whose answer was lost: the rows are stored, the writer hears a failure, and the
     * client's retry must be told duplicate (updated, for a call's same state), never stored again.
     */
    @Test
    void aRetryAfterACommitWhoseAnswerWasLostStoresNothingTwice() {
        Batches batches = new Batches();
        try (Store faulted = new Store(); Store reference = new Store()) {
            faulted.store.write(batches.first);
            reference.store.write(batches.first);
            reference.store.write(batches.second);

            faulted.store.injectFaults(new FailAt(WriteStep.COMMITTED, 1));
            assertThatThrownBy(() -> faulted.store.write(batches.second)).hasMessageContaining("injected");
            faulted.store.injectFaults(WriteFaults.NONE);
            List<WriteOutcome> retried = faulted.store.write(batches.second);

            for (int index = 0; index < retried.size(); index++) {
                if (batches.second.get(index).type == EventType.CALL) {
                    assertThat(retried.get(index)).as("call " + index).isIn(WriteOutcome.UPDATED, WriteOutcome.STALE);
                } else {
                    assertThat(retried.get(index)).as("event " + index).isEqualTo(WriteOutcome.DUPLICATE);
                }
            }
            assertThat(faulted.totals()).isEqualTo(reference.totals());
        }
    }

    @Test
    void aFailedWriteOfThousandsOfEventsLeavesNoChunkBehind() {
        Batches batches = new Batches();
        try (Store store = new Store()) {
            store.store.injectFaults(new FailAt(WriteStep.ROLLUPS_APPENDED, 1));
            assertThatThrownBy(() -> store.store.write(batches.first)).hasMessageContaining("injected");
            assertThat(store.count("events")).isZero();
            assertThat(store.count("calls")).isZero();
        }
    }

    /** Fails the write the n-th time it reaches one step. */
    private static final class FailAt implements WriteFaults {
        private final WriteStep step;
        private int remaining;

        FailAt(WriteStep step, int occurrence) {
            this.step = step;
            this.remaining = occurrence;
        }

        @Override
        public void reached(WriteStep reached) throws SQLException {
            if (reached == step && --remaining == 0) {
                throw new SQLException("injected failure at " + step);
            }
        }
    }

    /**
     * Corrections replace what they correct in the raw table and in every rollup: a store that took
     * the first batch and then the second with its corrections holds exactly the rows and rollups
     * of one that took the final versions only, and its rollups agree with its raw rows (the groups
     * with minimums and maximums that lost an event rebuilt, the member usage moved with a chat's owner).
     */
    @Test
    void correctionsLeaveTheStoreAsIfOnlyTheFinalVersionsWereStored() {
        Batches batches = new Batches();
        try (Store corrected = new Store(); Store finalOnly = new Store()) {
            corrected.store.write(batches.first);
            List<WriteOutcome> outcomes = corrected.store.write(batches.second);
            assertThat(outcomes.stream().filter(outcome -> outcome == WriteOutcome.UPDATED).count())
                    .isGreaterThanOrEqualTo(batches.corrections);
            finalOnly.store.write(batches.finalVersions());
            assertThat(corrected.rawRows()).isEqualTo(finalOnly.rawRows());
            corrected.store.compactRollups();
            finalOnly.store.compactRollups();
            assertThat(corrected.rollupRows()).isEqualTo(finalOnly.rollupRows());
            RollupCheck.Result check = corrected.store.checkRollups(false);
            assertThat(check.total()).as(check.differences().toString()).isZero();
        }
    }

    /**
     * Two batches of generated usage; the second also finishes calls that the first stored in
     * progress, so its write deletes call rows and takes rollup deltas back, and corrects one in
     * twenty of the first batch's other events (a higher revision with other counts, cost, member,
     * and for some another time), so it deletes event rows and rebuilds rollup groups.
     */
    private static final class Batches {
        final List<Event> first = new ArrayList<>();
        final List<Event> second = new ArrayList<>();
        int corrections;

        Batches() {
            EventGenerator generator = new EventGenerator(7, 2L * BATCH, BATCH, RollupFixture.END_MS, 20);
            for (Event event : generator.batch(0)) {
                if (event.type == EventType.CALL && event.isFinalCall()) {
                    first.add(RollupFixture.inProgress(event));
                    second.add(event);
                } else {
                    first.add(event);
                }
            }
            second.addAll(generator.batch(1));
            java.util.Random random = new java.util.Random(11);
            for (int index = 0; index < first.size(); index += 20) {
                if (first.get(index).type != EventType.CALL) {
                    second.add(random.nextInt(second.size() + 1), Corrections.corrected(first.get(index), random));
                    corrections++;
                }
            }
            assertThat(first.size()).isGreaterThan(2_048);
            assertThat(second.stream().filter(event -> event.type == EventType.CALL).count()).isGreaterThan(100);
        }

        /** Each id's last state as both batches leave it: what a store that saw no earlier version holds. */
        List<Event> finalVersions() {
            java.util.Map<String, Event> last = new java.util.LinkedHashMap<>();
            for (Event event : first) {
                last.put(event.tenantId + "/" + event.type + "/" + event.id, event);
            }
            for (Event event : second) {
                String key = event.tenantId + "/" + event.type + "/" + event.id;
                Event before = last.get(key);
                if (before == null || event.revision > before.revision || event.type == EventType.CALL
                        && event.revision == before.revision && !(before.isFinalCall() && !event.isFinalCall())) {
                    last.put(key, event);
                }
            }
            return new ArrayList<>(last.values());
        }
    }

    private static final class Store implements AutoCloseable {
        final DuckDbDatabase database = DuckDbDatabase.inMemory();
        final DuckDbEventStore store = new DuckDbEventStore(database);

        /** The raw rows but their time of receipt. */
        List<String> rawRows() {
            List<String> rows = new ArrayList<>();
            for (String table : List.of("events", "calls")) {
                for (Row row : store.query(new SqlBuilder().append("SELECT * EXCLUDE (received_ms) FROM " + table
                        + " ORDER BY ALL").build())) {
                    rows.add(table + " " + row);
                }
            }
            return rows;
        }

        /** Every rollup row, once folded. */
        List<String> rollupRows() {
            List<String> rows = new ArrayList<>();
            List<String> tables = new ArrayList<>(dev.tally.store.rollup.Rollups.ALL.stream().map(RollupTable::name)
                    .toList());
            tables.add(dev.tally.store.rollup.MemberUsageRollup.TABLE);
            for (String table : tables) {
                for (Row row : store.query(new SqlBuilder().append("SELECT * FROM " + table + " ORDER BY ALL").build())) {
                    rows.add(table + " " + row);
                }
            }
            return rows;
        }

        /** Every row of every table, in a fixed order. */
        List<String> snapshot() {
            List<String> rows = new ArrayList<>();
            for (Row table : store.query(new SqlBuilder().append("SELECT table_name FROM information_schema.tables"
                    + " WHERE table_schema = 'main' ORDER BY table_name").build())) {
                String name = table.string("table_name");
                for (Row row : store.query(new SqlBuilder().append("SELECT * FROM " + name + " ORDER BY ALL").build())) {
                    rows.add(name + " " + row);
                }
            }
            return rows;
        }

        /** The rows of the raw tables and every rollup table's sums: equal however the deltas were split. */
        List<String> totals() {
            List<String> totals = new ArrayList<>();
            totals.add("events " + count("events") + " calls " + count("calls"));
            for (RollupTable table : dev.tally.store.rollup.Rollups.ALL) {
                String sums = table.measures().stream()
                        .filter(measure -> measure.combine() == RollupTable.Combine.SUM).map(measure -> "sum(" + measure.name() + ")::VARCHAR AS "
                        + measure.name()).reduce((left, right) -> left + ", " + right).orElseThrow();
                totals.add(table.name() + " " + store.query(new SqlBuilder().append("SELECT " + sums + " FROM "
                        + table.name()).build()));
            }
            totals.add(store.query(new SqlBuilder().append("SELECT sum(chats)::VARCHAR AS chats,"
                    + " sum(messages)::VARCHAR AS messages, sum(credits_micros)::VARCHAR AS credits FROM "
                    + dev.tally.store.rollup.MemberUsageRollup.TABLE).build()).toString());
            totals.add(store.query(new SqlBuilder().append("SELECT count(DISTINCT call_id) AS calls,"
                    + " sum(events)::VARCHAR AS events, sum(llm_nanos)::VARCHAR AS llm, sum(stt_nanos)::VARCHAR AS stt,"
                    + " sum(tts_nanos)::VARCHAR AS tts FROM " + dev.tally.store.callcost.CallCostDeltas.TABLE).build())
                    .toString());
            return totals;
        }

        long count(String table) {
            return store.query(new SqlBuilder().append("SELECT count(*) AS rows FROM " + table).build())
                    .get(0).longValue("rows");
        }

        @Override
        public void close() {
            store.close();
            database.close();
        }
    }
}
