package dev.tally.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.bench.EventGenerator;
import dev.tally.event.Event;
import dev.tally.store.SubjectErasure;
import dev.tally.store.callcost.CallCostDeltas;
import dev.tally.store.rollup.MemberUsageRollup;
import dev.tally.store.rollup.RollupTable;
import dev.tally.store.rollup.Rollups;
import dev.tally.store.rollup.StoredEvent;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.Sql;
import dev.tally.tenant.ErasureSubject;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The writer answers corrections from the rows it committed last: a row it remembers must be the
 * row the table holds. Each test runs the same operations on a store that remembers and on one
 * that remembers nothing, and compares every raw and rollup table.
 */
class RecentRowsTest {
    private static final long END_MS = java.time.Instant.parse("2026-11-30T00:00:00Z").toEpochMilli();

    @Test
    void anEventAsRememberedIsTheEventAsReadFromItsRow() throws IllegalAccessException {
        EventGenerator generator = new EventGenerator(5, 3_000, 1_000, END_MS, 3, 0.1);
        DuckDbDatabase database = DuckDbDatabase.inMemory();
        try (DuckDbEventStore store = new DuckDbEventStore(database)) {
            Map<String, Event> written = new HashMap<>();
            for (int batch = 0; batch < generator.batches(); batch++) {
                List<Event> events = generator.batch(batch);
                store.write(events);
                events.forEach(event -> written.put(event.tenantId + "\n" + event.id, event));
            }
            written.put("acme\nfull-1", dev.tally.store.EventStoreContract.fullEvent());
            store.write(List.of(dev.tally.store.EventStoreContract.fullEvent()));
            // a call's row is in calls, every other event's in events
            List<Row> rows = store.query(new Sql("SELECT " + StoredEvent.COLUMNS + " FROM events UNION ALL SELECT "
                    + StoredEvent.COLUMNS + " FROM calls", List.of()));
            assertThat(rows.size()).isEqualTo(written.size());
            for (Row row : rows) {
                Event fromRow = StoredEvent.fromRow(row);
                Event remembered = StoredEvent.of(written.get(fromRow.tenantId + "\n" + fromRow.id));
                assertThat(fields(remembered)).as(fromRow.id).isEqualTo(fields(fromRow));
            }
        } finally {
            database.close();
        }
    }

    @Test
    void correctionsAfterErasureRetentionDeletionAndLostCommitsMatchAStoreThatRemembersNothing() {
        List<Consumer<DuckDbEventStore>> steps = new ArrayList<>();
        EventGenerator generator = new EventGenerator(9, 6_000, 500, END_MS, 4, 0.2);
        for (int batch = 0; batch < generator.batches(); batch++) {
            int index = batch;
            steps.add(store -> store.write(generator.batch(index)));
            // the next batch revises this one: each change below lands between events and their corrections
            switch (batch % 4) {
                case 0 -> steps.add(store -> {
                    store.erase(new SubjectErasure("member-" + index, "bench-a", ErasureSubject.MEMBER_ID,
                            "m" + (index % 5), "pseudonym-" + index));
                    // SMS prices arrive as corrections: the corrected message's stored number is now the pseudonym
                    store.erase(new SubjectErasure("phone-" + index, "bench-a", ErasureSubject.PHONE_NUMBER,
                            "+141555500" + (10 + index % 3), "+1000000" + index));
                });
                case 1 -> steps.add(store -> store.deleteRawBefore("bench-b", END_MS - 2 * 86_400_000L - index * 3_600_000L));
                case 2 -> steps.add(store -> store.deleteTenant("bench-c"));
                default -> steps.add(store -> {
                    // the commit took effect and its answer was lost: the retry is a duplicate, the rows are stored
                    store.injectFaults(new WriteFaults() {
                        @Override
                        public void reached(WriteStep step) throws SQLException {
                            if (step == WriteStep.COMMITTED) {
                                throw new SQLException("answer lost");
                            }
                        }
                    });
                    try {
                        assertThatThrownBy(() -> store.write(generator.batch(index + 1)))
                                .hasMessageContaining("answer lost");
                    } finally {
                        store.injectFaults(null);
                    }
                });
            }
        }
        Map<String, List<Map<String, Object>>> remembering = tablesAfter(steps, RecentRows.DEFAULT_CAPACITY);
        Map<String, List<Map<String, Object>>> forgetting = tablesAfter(steps, 0);
        assertThat(remembering.get("events")).as("a correction was stored").isNotEmpty();
        remembering.forEach((table, rows) -> {
            List<Map<String, Object>> onlyRemembering = new ArrayList<>(rows);
            onlyRemembering.removeAll(forgetting.get(table));
            List<Map<String, Object>> onlyForgetting = new ArrayList<>(forgetting.get(table));
            onlyForgetting.removeAll(rows);
            assertThat(onlyRemembering).as(table + ": rows only the remembering store has").isEmpty();
            assertThat(onlyForgetting).as(table + ": rows only the forgetting store has").isEmpty();
        });
    }

    @Test
    void randomInterleavingsOfCorrectionsAndErasuresLeaveRollupsAsARebuildWouldMakeThem() {
        Random random = new Random(17);
        DuckDbDatabase database = DuckDbDatabase.inMemory();
        try (DuckDbEventStore store = new DuckDbEventStore(database)) {
            EventGenerator generator = new EventGenerator(13, 4_000, 400, END_MS, 2, 0.3);
            for (int batch = 0; batch < generator.batches(); batch++) {
                store.write(generator.batch(batch));
                if (random.nextInt(3) == 0) {
                    store.erase(new SubjectErasure("e" + batch, "bench-" + "abc".charAt(random.nextInt(3)),
                            ErasureSubject.MEMBER_ID, "m" + random.nextInt(20), "p" + batch));
                }
            }
            assertThat(store.checkRollups(false).total()).isZero();
        } finally {
            database.close();
        }
    }

    private static Map<String, List<Map<String, Object>>> tablesAfter(List<Consumer<DuckDbEventStore>> steps, int remembered) {
        DuckDbDatabase database = DuckDbDatabase.inMemory();
        try (DuckDbEventStore store = new DuckDbEventStore(database, remembered)) {
            steps.forEach(step -> step.accept(store));
            store.refreshCallCostRows();
            Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();
            List<String> names = new ArrayList<>(List.of("events", "calls", MemberUsageRollup.TABLE, CallCostDeltas.TABLE));
            Rollups.ALL.stream().map(RollupTable::name).forEach(names::add);
            for (String name : names) {
                tables.put(name, store.query(new Sql("SELECT * FROM " + name + " ORDER BY ALL", List.of())).stream()
                        .map(Row::asMap).toList());
            }
            return tables;
        } finally {
            database.close();
        }
    }

    private static Map<String, Object> fields(Event event) throws IllegalAccessException {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Field field : Event.class.getFields()) {
            if (!Modifier.isStatic(field.getModifiers())) {
                fields.put(field.getName(), field.get(event));
            }
        }
        return fields;
    }
}
