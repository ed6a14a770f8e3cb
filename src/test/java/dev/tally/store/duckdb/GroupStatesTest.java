package dev.tally.store.duckdb;

import static dev.tally.store.duckdb.RevisedExtremesTest.tokens;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.bench.EventGenerator;
import dev.tally.store.EventStoreContract;
import dev.tally.store.rollup.RollupTable;
import dev.tally.store.rollup.Rollups;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.SqlBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The counts and extremes of recent groups known in memory ({@link GroupStates}) decide lost extremes
 * without a query, so each must be what the group's stored rows combine to, after every write.
 */
class GroupStatesTest {
    private static final List<RollupTable> FOLLOWED = Rollups.ALL.stream().filter(GroupStates::follows).toList();

    @Test
    void aKnownGroupIsTheGroupAsStored() {
        DuckDbDatabase database = DuckDbDatabase.inMemory();
        try (DuckDbEventStore store = new DuckDbEventStore(database)) {
            // every event type, 10 % corrections of the batch before: groups born, read, corrected and rebuilt
            EventGenerator generator = new EventGenerator(11, 12_000, 1_000, EventStoreContract.TIME_MS, 2, 0.1);
            int compared = 0;
            for (int batch = 0; batch < generator.batches(); batch++) {
                store.write(generator.batch(batch));
                compared += assertKnownGroupsAsStored(store);
            }
            assertThat(compared).as("known groups compared").isGreaterThan(500);
            assertThat(store.checkRollups(false).total()).isZero();
        } finally {
            database.close();
        }
    }

    /**
     * A group known from its birth, whose minimum a correction then takes: listed stale and forgotten,
     * since its stored extremes are bounds until rebuilt; a later write does not make it known again.
     */
    @Test
    void aGroupListedStaleIsForgotten() {
        DuckDbDatabase database = DuckDbDatabase.inMemory();
        try (DuckDbEventStore store = RecentRowsTest.holding(new DuckDbEventStore(database))) {
            store.write(List.of(tokens("e1", 10, 0), tokens("e2", 20, 0), tokens("e3", 30, 0)));
            assertThat(assertKnownGroupsAsStored(store)).as("groups born known").isEqualTo(FOLLOWED.size());
            store.write(List.of(tokens("e2", 25, 1)));
            assertThat(assertKnownGroupsAsStored(store)).as("no extreme taken: still known").isEqualTo(FOLLOWED.size());
            store.write(List.of(tokens("e1", 25, 1)));
            assertThat(assertKnownGroupsAsStored(store)).as("the minimum taken: forgotten").isZero();
            store.write(List.of(tokens("e4", 5, 0)));
            assertThat(assertKnownGroupsAsStored(store)).isZero();
            assertThat(store.checkRollups(false).total()).isZero();
        } finally {
            database.close();
        }
    }

    /** After reopening, a group with stored rows that a write adds to is not known from that write alone. */
    @Test
    void aGroupWithStoredRowsIsNoNewGroup(@TempDir Path directory) {
        DuckDbDatabase first = DuckDbDatabase.open(directory);
        try (DuckDbEventStore store = new DuckDbEventStore(first)) {
            store.write(List.of(tokens("e1", 10, 0), tokens("e2", 20, 0), tokens("e3", 30, 0)));
        }
        first.close();
        DuckDbDatabase second = DuckDbDatabase.open(directory);
        try (DuckDbEventStore store = RecentRowsTest.holding(new DuckDbEventStore(second))) {
            store.write(List.of(tokens("e4", 40, 0)));
            assertKnownGroupsAsStored(store);
            store.write(List.of(tokens("e1", 50, 1)));
            assertKnownGroupsAsStored(store);
            assertThat(store.checkRollups(false).total()).isZero();
        } finally {
            second.close();
        }
    }

    /** Compares every known group with its stored rows combined; returns how many were compared. */
    private static int assertKnownGroupsAsStored(DuckDbEventStore store) {
        int compared = 0;
        for (RollupTable table : FOLLOWED) {
            Map<List<Object>, GroupStates.State> known = store.knownGroups(table);
            Map<List<Object>, Row> stored = storedGroups(store, table);
            for (Map.Entry<List<Object>, GroupStates.State> group : known.entrySet()) {
                GroupStates.State state = group.getValue();
                Row row = stored.get(group.getKey());
                assertThat(row).as("%s %s is stored", table.name(), group.getKey()).isNotNull();
                assertThat(state.count()).as("%s %s count", table.name(), group.getKey())
                        .isEqualTo(row.longValue(table.countColumn()));
                for (int index = 0; index < table.measures().size(); index++) {
                    RollupTable.Measure measure = table.measures().get(index);
                    if (measure.combine() != RollupTable.Combine.SUM) {
                        assertThat(state.extremes()[index]).as("%s %s %s", table.name(), group.getKey(), measure.name())
                                .isEqualTo(row.longValue(measure.name()));
                    }
                }
                compared++;
            }
        }
        return compared;
    }

    private static Map<List<Object>, Row> storedGroups(DuckDbEventStore store, RollupTable table) {
        String keys = "tenant_id, " + table.grain().column() + table.keys().stream().map(key -> ", " + key.name())
                .reduce("", String::concat);
        StringBuilder select = new StringBuilder("SELECT " + keys);
        for (RollupTable.Measure measure : table.measures()) {
            String function = switch (measure.combine()) {
                case SUM -> "sum";
                case MIN -> "min";
                case MAX -> "max";
            };
            select.append(", CAST(" + function + "(" + measure.name() + ") AS BIGINT) AS " + measure.name());
        }
        select.append(" FROM " + table.name() + " GROUP BY " + keys);
        Map<List<Object>, Row> groups = new HashMap<>();
        for (Row row : store.query(new SqlBuilder().append(select.toString()).build())) {
            List<Object> group = new ArrayList<>(Arrays.asList(row.string("tenant_id"),
                    row.longValue(table.grain().column())));
            table.keys().forEach(key -> group.add(row.get(key.name()) instanceof Number number
                    ? (Object) number.longValue() : row.get(key.name())));
            groups.put(group, row);
        }
        return groups;
    }
}
