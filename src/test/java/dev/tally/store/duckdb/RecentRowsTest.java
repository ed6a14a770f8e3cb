package dev.tally.store.duckdb;

import static dev.tally.store.duckdb.RevisedExtremesTest.randomized;
import static dev.tally.store.duckdb.RevisedExtremesTest.tokens;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.bench.EventGenerator;
import dev.tally.event.Event;
import dev.tally.event.EventType;
import dev.tally.ingest.WriteOutcome;
import dev.tally.ingest.dedup.IdFingerprint;
import dev.tally.store.EventStoreContract;
import dev.tally.store.SubjectErasure;
import dev.tally.store.rollup.RollupTable;
import dev.tally.store.rollup.Rollups;
import dev.tally.store.rollup.StoredEvent;
import dev.tally.store.sql.RawTable;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.SqlBuilder;
import dev.tally.tenant.ErasureSubject;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rows the latest writes committed are held in memory ({@link RecentRows}) and plan corrections
 * and check lost extremes without reading the raw rows. Held rows must be the stored ones; a group
 * is cleared from memory only when memory holds all of it, else listed stale; anything else that changes
 * stored rows makes the store forget them; and the replaced rows deleted by their fingerprints are
 * the replaced rows only.
 */
class RecentRowsTest {
    private static final String EXTREMES = "SELECT min(output_tokens_min) AS low, max(output_tokens_max) AS high"
            + " FROM %s WHERE tenant_id = 'acme'";

    @Test
    void aHeldRowIsTheRowAsStored() throws IllegalAccessException {
        DuckDbDatabase database = DuckDbDatabase.inMemory();
        try (DuckDbEventStore store = new DuckDbEventStore(database)) {
            // every event type, 10 % corrections of the batch before
            EventGenerator generator = new EventGenerator(5, RecentRows.CAPACITY + RecentRows.CAPACITY / 2, 1_000,
                    EventStoreContract.TIME_MS, 2, 0.1);
            for (int batch = 0; batch < generator.batches(); batch++) {
                store.write(generator.batch(batch));
            }
            int compared = 0;
            for (String table : List.of("events", "calls")) {
                for (Row row : store.query(new SqlBuilder().append("SELECT " + StoredEvent.COLUMNS + " FROM " + table)
                        .build())) {
                    Event held = table.equals("events") ? store.recentEvent(row.string("tenant_id"), row.string("id"))
                            : store.recentCall(row.string("tenant_id"), row.string("id"));
                    if (held != null) {
                        assertSameFields(held, StoredEvent.fromRow(row));
                        compared++;
                    }
                }
            }
            assertThat(compared).as("rows held and compared").isGreaterThan(RecentRows.CAPACITY);
            assertThat(store.recentEvent("acme", "no-such-id")).isNull();
        } finally {
            database.close();
        }
    }

    /** After reopening, memory holds one event of a group of four: its rebuild must read the stored rows. */
    @Test
    void aGroupOnlyPartlyHeldIsRebuiltFromTheStoredRows(@TempDir Path directory) {
        DuckDbDatabase first = DuckDbDatabase.open(directory);
        try (DuckDbEventStore store = new DuckDbEventStore(first)) {
            store.write(List.of(tokens("e1", 10, 0), tokens("e2", 20, 0), tokens("e3", 30, 0)));
        }
        first.close();
        DuckDbDatabase second = DuckDbDatabase.open(directory);
        try (DuckDbEventStore store = new DuckDbEventStore(second)) {
            store.write(List.of(tokens("e4", 40, 0)));
            assertThat(store.write(List.of(tokens("e4", 5, 1)))).containsExactly(WriteOutcome.UPDATED);
            // the hour rebuilt from the raw rows, the day from the hours
            assertThat(extremes(store, "rollup_llm_by_hour")).as("hour").containsExactly(5L, 30L);
            assertThat(extremes(store, "rollup_llm_by_day")).as("day").containsExactly(5L, 30L);
            assertThat(store.checkRollups(false).total()).isZero();
        } finally {
            second.close();
        }
    }

    /**
     * An older revision stays listed in its group until the lists are remade: it is no event of the
     * group. Were e1's 10 taken as a stored value, e2's lost 30 would look like no minimum.
     */
    @Test
    void aReplacedRevisionIsNoWitnessOfItsGroupsExtremes() {
        DuckDbDatabase database = DuckDbDatabase.inMemory();
        try (DuckDbEventStore store = holding(new DuckDbEventStore(database))) {
            store.write(List.of(tokens("e1", 10, 0)));
            store.write(List.of(tokens("e1", 50, 1)));
            store.write(List.of(tokens("e2", 30, 0)));
            store.write(List.of(tokens("e2", 40, 1)));
            assertThat(extremes(store, "rollup_llm_by_hour")).containsExactly(40L, 50L);
            assertThat(store.checkRollups(false).total()).isZero();
        } finally {
            database.close();
        }
    }

    /**
     * A group born while watched stays whole only while memory holds every row of it: its rows let
     * go (more rows than {@link RecentRows#CAPACITY} written since, groups listed all along by
     * corrections elsewhere), its lost maximum must come from the stored rows.
     */
    @Test
    void aGroupWhoseRowsWereLetGoIsNoLongerWhole() {
        assertLetGoGroupRebuiltFromStoredRows(true);
    }

    /** The same when nothing asked for the groups meanwhile, so their listing was dropped. */
    @Test
    void aGroupWhoseListingWasDroppedIsNoLongerWhole() {
        assertLetGoGroupRebuiltFromStoredRows(false);
    }

    private static void assertLetGoGroupRebuiltFromStoredRows(boolean correctionsMeanwhile) {
        DuckDbDatabase database = DuckDbDatabase.inMemory();
        try (DuckDbEventStore store = holding(new DuckDbEventStore(database))) {
            store.write(List.of(tokens("e1", 10, 0), tokens("e2", 20, 0), tokens("e3", 30, 0)));
            assertThat(store.recentEvent("acme", "e3")).isNotNull();
            int written = 0;
            for (int batch = 0; written <= RecentRows.CAPACITY + 1_000; batch++) {
                List<Event> events = new ArrayList<>();
                for (int index = 0; index < 5_000; index++) {
                    Event other = tokens("other-" + written++, 50, 0);
                    other.model = "gpt-4o";
                    events.add(other);
                }
                if (correctionsMeanwhile && batch > 0) {
                    // of the batch before: stored, so its groups are asked for
                    Event correction = tokens("other-" + (written - 5_010), 40, 1);
                    correction.model = "gpt-4o";
                    events.add(correction);
                }
                store.write(events);
            }
            assertThat(store.recentEvent("acme", "e3")).isNull();
            assertCorrectingE3TakesItsMaximumFromTheStoredRows(store);
        } finally {
            database.close();
        }
    }

    /** e1–e3 stored with 10, 20 and 30: e3 corrected to 5 leaves its hour 5 to 20, whatever memory held. */
    private static void assertCorrectingE3TakesItsMaximumFromTheStoredRows(DuckDbEventStore store) {
        assertThat(store.write(List.of(tokens("e3", 5, 1)))).containsExactly(WriteOutcome.UPDATED);
        store.rebuildStaleExtremes();
        Row row = store.query(new SqlBuilder().append("SELECT min(output_tokens_min) AS low,"
                + " max(output_tokens_max) AS high FROM rollup_llm_by_hour WHERE tenant_id = 'acme' AND model = 'gpt-4o-mini'").build()).get(0);
        assertThat(List.of(row.longValue("low"), row.longValue("high"))).containsExactly(5L, 20L);
        assertThat(store.checkRollups(false).total()).isZero();
    }

    /**
     * One write of more rows than {@link RecentRows#CAPACITY}: its first rows are never held, so the
     * group they were born in is not whole, and a correction's lost maximum comes from the stored rows.
     */
    @Test
    void aWriteLargerThanTheCapacityHoldsOnlyItsLastRows() {
        DuckDbDatabase database = DuckDbDatabase.inMemory();
        try (DuckDbEventStore store = holding(new DuckDbEventStore(database))) {
            List<Event> events = new ArrayList<>(List.of(tokens("e1", 10, 0), tokens("e2", 20, 0), tokens("e3", 30, 0)));
            for (int index = 0; index < RecentRows.CAPACITY; index++) {
                Event other = tokens("other-" + index, 50, 0);
                other.model = "gpt-4o";
                events.add(other);
            }
            store.write(events);
            // found for a correction in the latest write, held whole, though not among the rows the groups list
            assertThat(store.recentEvent("acme", "e3")).isNotNull();
            assertThat(store.recentEvent("acme", "other-0")).isNotNull();
            assertThat(store.recentEvent("acme", "other-" + (RecentRows.CAPACITY - 1))).isNotNull();
            assertCorrectingE3TakesItsMaximumFromTheStoredRows(store);
        } finally {
            database.close();
        }
    }

    /**
     * Rows are held by fingerprint: of two keys sharing one (made here by hand), the later is held and
     * the earlier is not mistaken for it, nor kept in its group's listing as a held row.
     */
    @Test
    void keysSharingAFingerprintAreNotMistakenForEachOther() throws SQLException {
        RecentRows recent = holdingEventRows();
        Event first = tokens("e1", 10, 0);
        Event second = tokens("e2", 20, 0);
        recent.committed(List.of(first), new long[] {42}, List.of());
        assertThat(recent.held(42, "acme", "e1")).isNotNull();
        recent.committed(List.of(second), new long[] {42}, List.of());
        assertThat(recent.held(42, "acme", "e1")).isNull();
        assertThat(recent.held(42, "acme", "e2")).isNotNull();
        RollupTable hours = Rollups.ALL.stream()
                .filter(table -> table.name().equals("rollup_llm_by_hour")).findFirst().orElseThrow();
        assertThat(recent.storedIn(hours, Rollups.Deltas.group(hours, first)))
                .extracting(event -> event.id).containsExactly("e2");
    }

    /**
     * The latest {@value RecentRows#WRITES_KEPT} writes are held whole for corrections, larger than the
     * capacity or not, and a correction is found as the newest write stored it; a write older than
     * those is not, and its first rows, which did not fit the capacity, are looked up again.
     */
    @Test
    void theLatestWritesAreHeldWholeForCorrections() throws SQLException {
        RecentRows recent = holdingEventRows();
        List<Event> large = new ArrayList<>();
        for (int index = 0; index < RecentRows.CAPACITY + 100; index++) {
            large.add(tokens("large-" + index, index, 0));
        }
        recent.committed(large, fingerprints(large), List.of());
        // a copy as the row reads back (aHeldRowIsTheRowAsStored compares those with the stored rows)
        assertThat(recent.get("acme", "large-0")).isNotSameAs(large.get(0))
                .extracting(event -> event.id, event -> event.outputTokens).containsExactly("large-0", 0L);
        assertThat(recent.get("acme", "large-1").outputTokens).isEqualTo(1);
        Event corrected = tokens("large-0", 7, 1);
        recent.committed(List.of(corrected), fingerprints(List.of(corrected)), List.of());
        assertThat(recent.get("acme", "large-0").outputTokens).isEqualTo(7);
        for (int write = 1; write < RecentRows.WRITES_KEPT; write++) {
            Event other = tokens("other-" + write, 1, 0);
            recent.committed(List.of(other), fingerprints(List.of(other)), List.of());
            assertThat(recent.get("acme", "large-0").outputTokens).isEqualTo(7);
        }
        assertThat(recent.get("acme", "large-1")).as("let go with its write").isNull();
        assertThat(recent.get("acme", "large-0").outputTokens).as("still among the rows held").isEqualTo(7);
        assertThat(recent.get("acme", "large-" + (RecentRows.CAPACITY + 99))).isNotNull();
    }

    /** Two rows of a write sharing a fingerprint (made here by hand): neither is taken from the write held whole. */
    @Test
    void rowsOfAWriteSharingAFingerprintAreLookedUp() throws SQLException {
        RecentRows recent = holdingEventRows();
        Event first = tokens("e1", 10, 0);
        Event second = tokens("e2", 20, 0);
        long shared = IdFingerprint.of("acme", "e1");
        recent.committed(List.of(first, second), new long[] {shared, shared}, List.of());
        assertThat(recent.get("acme", "e1")).isNull();
        assertThat(recent.get("acme", "e2")).isNull();
        recent.clear();
        recent.committed(List.of(second), new long[] {shared}, List.of());
        assertThat(recent.get("acme", "e1")).isNull();
    }

    private static long[] fingerprints(List<Event> events) {
        long[] fingerprints = new long[events.size()];
        for (int index = 0; index < events.size(); index++) {
            fingerprints[index] = IdFingerprint.of(events.get(index).tenantId, events.get(index).id);
        }
        return fingerprints;
    }

    /**
     * Writes smaller than the capacity, hour after hour, with one group asked for each time: the rows let
     * go leave their listings in groups never asked again, and those must not pile up.
     */
    @Test
    void theListingsOfRowsLetGoDoNotPileUp() throws SQLException {
        RecentRows recent = holdingEventRows();
        RollupTable hours = Rollups.ALL.stream()
                .filter(table -> table.name().equals("rollup_llm_by_hour")).findFirst().orElseThrow();
        Event first = tokens("first", 10, 0);
        int perWrite = RecentRows.CAPACITY / 4;
        int most = 0;
        for (int write = 0; write < 24; write++) {
            List<Event> events = new ArrayList<>();
            long[] fingerprints = new long[perWrite];
            for (int index = 0; index < perWrite; index++) {
                Event event = tokens("w" + write + "-" + index, 10, 0);
                event.timeMs += write * 3_600_000L;
                fingerprints[index] = IdFingerprint.of(event.tenantId, event.id);
                events.add(event);
            }
            recent.committed(events, fingerprints, List.of());
            recent.storedIn(hours, Rollups.Deltas.group(hours, first));
            most = Math.max(most, recent.listings());
            assertThat(recent.held()).isLessThanOrEqualTo(RecentRows.CAPACITY);
        }
        // six times the capacity written; listed at most twice per table with extremes over the events
        assertThat(most).isGreaterThan(RecentRows.CAPACITY).isLessThanOrEqualTo(4 * RecentRows.CAPACITY);
        assertThat(recent.storedIn(hours, Rollups.Deltas.group(hours,
                recent.held(IdFingerprint.of("acme", "w23-0"), "acme", "w23-0")))).hasSize(perWrite);
    }

    /**
     * Rows are let go after {@value RecentRows#IDLE_WRITES} writes that look none up, and the tenants'
     * last slots with them: held again, a group that got rows meanwhile must not look born.
     */
    @Test
    void rowsAreLetGoByWritesThatLookNoneUpAndHeldAgainAfterOne() {
        DuckDbDatabase database = DuckDbDatabase.inMemory();
        try (DuckDbEventStore store = holding(new DuckDbEventStore(database))) {
            // an hour before: the write that holds rows again raises the tenant's last slot only that far
            for (int write = 0; write <= RecentRows.IDLE_WRITES; write++) {
                Event other = tokens("other-" + write, 50, 0);
                other.timeMs -= 3_600_000L;
                store.write(List.of(other));
            }
            assertThat(store.recentEvent("acme", "other-" + RecentRows.IDLE_WRITES)).isNull();
            store.write(List.of(tokens("e1", 10, 0), tokens("e2", 20, 0)));
            Event correction = tokens("other-1", 40, 1);
            correction.timeMs -= 3_600_000L;
            store.write(List.of(correction));
            store.write(List.of(tokens("e3", 30, 0)));
            assertThat(store.recentEvent("acme", "e3")).isNotNull();
            store.write(List.of(tokens("e3", 5, 1)));
            store.rebuildStaleExtremes();
            Row row = store.query(new SqlBuilder().append("SELECT min(output_tokens_min) AS low,"
                    + " max(output_tokens_max) AS high FROM rollup_llm_by_hour WHERE tenant_id = 'acme' AND hour = ")
                    .value(EventStoreContract.TIME_MS / 3_600_000L).build()).get(0);
            assertThat(List.of(row.longValue("low"), row.longValue("high"))).containsExactly(5L, 20L);
            assertThat(store.checkRollups(false).total()).isZero();
        } finally {
            database.close();
        }
    }

    /** Rows of the events table, held as after a write that asked for stored rows. */
    private static RecentRows holdingEventRows() throws SQLException {
        RecentRows recent = new RecentRows(RawTable.EVENTS);
        recent.asked();
        DuckDbDatabase database = DuckDbDatabase.inMemory();
        try (Connection connection = database.newConnection()) {
            recent.planned(connection);
        } finally {
            database.close();
        }
        return recent;
    }

    /** A correction first: rows are held from the write that asks for stored rows on. */
    static DuckDbEventStore holding(DuckDbEventStore store) {
        for (int revision = 0; revision < 2; revision++) {
            Event warmUp = tokens("warm-up", 1, revision);
            warmUp.tenantId = "another-tenant";
            store.write(List.of(warmUp));
        }
        return store;
    }

    /** Random corrections, the store reopened now and then: groups rebuilt from memory, from raw rows and from hours. */
    @Test
    void randomCorrectionsAcrossReopeningsLeaveTheRollupsAsARebuildWouldMakeThem(@TempDir Path directory) {
        Random random = new Random(23);
        Map<String, Integer> revisions = new HashMap<>();
        int next = 0;
        for (int opening = 0; opening < 4; opening++) {
            DuckDbDatabase database = DuckDbDatabase.open(directory);
            try (DuckDbEventStore store = new DuckDbEventStore(database)) {
                for (int batch = 0; batch < 8; batch++) {
                    List<Event> events = new ArrayList<>();
                    for (int index = 0; index < 10; index++) {
                        events.add(randomized(random, "e" + next, 0));
                        revisions.put("e" + next++, 0);
                    }
                    for (int index : random.ints(6, 0, next).distinct().toArray()) {
                        int revision = revisions.merge("e" + index, 1, Integer::sum);
                        events.add(randomized(random, "e" + index, revision));
                    }
                    store.write(events);
                    assertThat(store.checkRollups(false).total()).as("opening " + opening + ", batch " + batch).isZero();
                }
            } finally {
                database.close();
            }
        }
    }

    /** An erased member's rows are rewritten: a correction after it must take back the pseudonym's usage. */
    @Test
    void anErasureMakesTheStoreForgetItsHeldRows() {
        DuckDbDatabase database = DuckDbDatabase.inMemory();
        try (DuckDbEventStore store = holding(new DuckDbEventStore(database))) {
            store.write(List.of(member("e1", 0), member("e2", 0)));
            assertThat(store.recentEvent("acme", "e1")).isNotNull();
            store.erase(new SubjectErasure("erasure-1", "acme", ErasureSubject.MEMBER_ID, "m1", "erased-m1"));
            assertThat(store.write(List.of(member("e1", 1)))).containsExactly(WriteOutcome.UPDATED);
            assertThat(store.checkRollups(false).total()).isZero();
        } finally {
            database.close();
        }
    }

    /** Rows deleted by retention are gone from memory too: their corrections are new events. */
    @Test
    void retentionMakesTheStoreForgetItsHeldRows() {
        DuckDbDatabase database = DuckDbDatabase.inMemory();
        try (DuckDbEventStore store = holding(new DuckDbEventStore(database))) {
            store.write(List.of(tokens("e1", 10, 0), tokens("e2", 20, 0)));
            assertThat(store.recentEvent("acme", "e1")).isNotNull();
            store.deleteRawBefore("acme", EventStoreContract.TIME_MS + 1);
            assertThat(store.recentEvent("acme", "e1")).isNull();
            assertThat(store.write(List.of(tokens("e1", 15, 1)))).containsExactly(WriteOutcome.STORED);
            assertThat(store.query(new SqlBuilder().append("SELECT count(*) AS n FROM events WHERE tenant_id = 'acme'").build()).get(0)
                    .longValue("n")).isEqualTo(1);
        } finally {
            database.close();
        }
    }

    /**
     * A stored row of another id with the fingerprint of a replaced row (a 64-bit collision, made
     * here by hand): the delete by fingerprints would take it too, so the write is rolled back and
     * written again matching (tenant, id), and the other row stays.
     */
    @Test
    void aRowSharingAReplacedRowsFingerprintIsNotDeleted() {
        DuckDbDatabase database = DuckDbDatabase.inMemory();
        try (DuckDbEventStore store = new DuckDbEventStore(database)) {
            store.write(List.of(tokens("e1", 10, 0), tokens("e2", 20, 0)));
            database.metadata(connection -> {
                copyWithFingerprintOf(connection, "e2", "e1");
                return null;
            });
            assertThat(store.write(List.of(tokens("e1", 15, 1)))).containsExactly(WriteOutcome.UPDATED);
            List<Row> rows = store.query(new SqlBuilder()
                    .append("SELECT id, output_tokens FROM events ORDER BY id, output_tokens").build());
            assertThat(rows).extracting(row -> row.string("id") + "=" + row.longValue("output_tokens"))
                    .containsExactly("e1=15", "e2=20", "e2-twin=20");
        } finally {
            database.close();
        }
    }

    /** A copy of {@code id}'s row under the id {@code id-twin}, with the fingerprint of {@code fingerprintOf}. */
    private static void copyWithFingerprintOf(Connection connection, String id, String fingerprintOf)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO events SELECT * REPLACE"
                + " (id || '-twin' AS id, ? AS id_hash) FROM events WHERE id = ?")) {
            statement.setLong(1, IdFingerprint.of("acme", fingerprintOf));
            statement.setString(2, id);
            assertThat(statement.executeUpdate()).isEqualTo(1);
        }
    }

    private static Event member(String id, int revision) {
        Event event = tokens(id, 10 + revision, revision);
        event.memberId = "m1";
        event.creditsMicros = 100 + revision;
        return event;
    }

    /** As a read sees them: the groups listed with stale extremes rebuilt first. */
    private static List<Long> extremes(DuckDbEventStore store, String table) {
        store.rebuildStaleExtremes();
        Row row = store.query(new SqlBuilder().append(String.format(EXTREMES, table)).build()).get(0);
        return List.of(row.longValue("low"), row.longValue("high"));
    }

    private static void assertSameFields(Event held, Event stored) throws IllegalAccessException {
        for (Field field : Event.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            assertThat(field.get(held)).as(field.getName() + " of " + stored.tenantId + "/" + stored.id)
                    .isEqualTo(field.get(stored));
        }
        assertThat(held.type).isIn((Object[]) EventType.values());
    }
}
