package dev.tally.report.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.event.Event;
import dev.tally.report.DateRange;
import dev.tally.store.duckdb.DuckDbDatabase;
import dev.tally.store.duckdb.DuckDbEventStore;
import dev.tally.testing.ChatEvents;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The member rollup of a file store across restarts, and its backfill into a store written without it. */
class MemberUsageRollupStoreTest {
    private static final DateRange MARCH = new DateRange(LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 31));

    @TempDir
    Path directory;

    /**
     * Before the restart: c1 alice, m1 in c1, m2 in c2 naming carol, l1 in c2 (2 credits), c2 not yet
     * stored. After: m3 in c1 (alice's, known from the stored chats), c2 bob (m2 and l1 were waiting
     * for it), m4 in c2 naming bob (counted once).
     */
    @Test
    void chatOwnersAndWaitingEventsSurviveARestart() {
        write(List.of(chat("c1", "alice", "2026-03-02T09:00:00Z"), message("m1", "c1", null, "2026-03-02T09:01:00Z"),
                message("m2", "c2", "carol", "2026-03-03T09:00:00Z"),
                llm("l1", "c2", null, 2_000_000, "2026-03-03T09:01:00Z")));
        write(List.of(message("m3", "c1", null, "2026-03-04T09:00:00Z"), chat("c2", "bob", "2026-03-01T09:00:00Z"),
                message("m4", "c2", "bob", "2026-03-05T09:00:00Z")));

        try (DuckDbDatabase database = DuckDbDatabase.open(directory);
             DuckDbEventStore store = new DuckDbEventStore(database)) {
            assertThat(report(store, "alice")).as("c1; m1, m3").isEqualTo(usage("alice", 1, 2, "0"));
            assertThat(report(store, "bob")).as("c2; m2, m4; l1").isEqualTo(usage("bob", 1, 2, "2"));
            assertThat(report(store, "carol")).as("m2").isEqualTo(usage("carol", 0, 1, "0"));
            assertSameAsRaw(store);
        }
    }

    /**
     * c1 alice; a in c1; b in c1 naming bob (both); c in c1 naming alice (once); d LLM in c1 naming
     * bob, 1.5 credits (both); c2 naming no one; e in c2 naming carol; f in c9, never stored, naming
     * no one.
     */
    @ParameterizedTest(name = "from rollup version {0}")
    @ValueSource(ints = {0, 1})
    void aStoreWrittenWithoutTheMemberRollupIsBackfilledOnce(int version) throws SQLException {
        write(List.of(chat("c1", "alice", "2026-03-02T09:00:00Z"), message("a", "c1", null, "2026-03-02T09:01:00Z"),
                message("b", "c1", "bob", "2026-03-03T09:00:00Z"), message("c", "c1", "alice", "2026-03-03T10:00:00Z"),
                llm("d", "c1", "bob", 1_500_000, "2026-03-04T09:00:00Z"), chat("c2", null, "2026-03-04T10:00:00Z"),
                message("e", "c2", "carol", "2026-03-05T09:00:00Z"), message("f", "c9", null, "2026-03-05T10:00:00Z")));
        try (DuckDbDatabase database = DuckDbDatabase.open(directory);
             Connection connection = database.newConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE rollup_member_usage");
            statement.execute("DELETE FROM rollup_state");
            if (version == 0) {
                statement.execute("DELETE FROM rollup_events");
            } else {
                statement.execute("INSERT INTO rollup_state VALUES (" + version + ")");
            }
        }

        try (DuckDbDatabase database = DuckDbDatabase.open(directory);
             DuckDbEventStore store = new DuckDbEventStore(database)) {
            assertThat(report(store, "alice")).as("c1; a, b, c; d").isEqualTo(usage("alice", 1, 3, "1.5"));
            assertThat(report(store, "bob")).as("b; d").isEqualTo(usage("bob", 0, 1, "1.5"));
            assertThat(report(store, "carol")).as("e").isEqualTo(usage("carol", 0, 1, "0"));
            DateRange third = new DateRange(LocalDate.of(2026, 3, 3), LocalDate.of(2026, 3, 3));
            assertThat(new MemberUsageQuery(store).run("t", "alice", third).totalMessages()).as("b, c").isEqualTo(2);
            assertThat(new AiUsageQuery(store).run("t", MARCH))
                    .isEqualTo(new AiUsageQuery(store.withoutRollups()).run("t", MARCH));
            assertSameAsRaw(store);

            store.write(List.of(message("g", "c1", null, "2026-03-06T09:00:00Z")));
            assertThat(report(store, "alice").totalMessages()).as("a, b, c, g").isEqualTo(4);
        }
        try (DuckDbDatabase database = DuckDbDatabase.open(directory);
             DuckDbEventStore store = new DuckDbEventStore(database)) {
            assertThat(report(store, "alice")).as("not backfilled twice").isEqualTo(usage("alice", 1, 4, "1.5"));
        }
    }

    private void write(List<Event> events) {
        try (DuckDbDatabase database = DuckDbDatabase.open(directory);
             DuckDbEventStore store = new DuckDbEventStore(database)) {
            store.write(events);
        }
    }

    private static void assertSameAsRaw(DuckDbEventStore store) {
        for (String member : List.of("alice", "bob", "carol")) {
            assertThat(report(store, member))
                    .isEqualTo(new MemberUsageQuery(store.withoutRollups()).run("t", member, MARCH));
        }
    }

    private static MemberUsageReport report(DuckDbEventStore store, String member) {
        return new MemberUsageQuery(store).run("t", member, MARCH);
    }

    private static MemberUsageReport usage(String member, long chats, long messages, String credits) {
        return new MemberUsageReport(member, MARCH.from(), MARCH.to(), chats, messages, new BigDecimal(credits));
    }

    private static Event chat(String id, String member, String time) {
        return ChatEvents.chat(id, member, Instant.parse(time).toEpochMilli());
    }

    private static Event message(String id, String chat, String member, String time) {
        return ChatEvents.message(id, chat, member, Instant.parse(time).toEpochMilli());
    }

    private static Event llm(String id, String chat, String member, long creditsMicros, String time) {
        return ChatEvents.llm(id, chat, member, creditsMicros, Instant.parse(time).toEpochMilli());
    }
}
