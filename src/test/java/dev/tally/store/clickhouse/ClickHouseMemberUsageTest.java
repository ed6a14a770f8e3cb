package dev.tally.store.clickhouse;

import static dev.tally.testing.ChatEvents.chat;
import static dev.tally.testing.ChatEvents.llm;
import static dev.tally.testing.ChatEvents.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.event.Event;
import dev.tally.event.EventType;
import dev.tally.store.duckdb.DuckDbDatabase;
import dev.tally.store.duckdb.DuckDbEventStore;
import dev.tally.store.rollup.MemberUsageRollup;
import dev.tally.store.rollup.Rollups;
import dev.tally.store.sql.RawTable;
import dev.tally.testing.ClickHouseCluster;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ClickHouse's member usage rollup answers what its raw rows answer and what DuckDB answers: a
 * message counts for the member it names and for its chat's owner, once when they are one, and a
 * chat arriving after its messages' hours were recomputed changes those hours.
 */
class ClickHouseMemberUsageTest {
    private static final long HOUR_MS = 3_600_000L;
    /** 2026-03-12T00:00:00Z. */
    private static final long DAY_MS = Instant.parse("2026-03-12T00:00:00Z").toEpochMilli();
    private static final long DAY = DAY_MS / Rollups.DAY_MS;

    private ClickHouseConfig config;
    private ClickHouseEventStore store;
    private ClickHouseHttp http;

    @BeforeEach
    void open() {
        config = ClickHouseCluster.shared().newDatabase();
        store = (ClickHouseEventStore) ClickHouseStore.open(config).events();
        http = new ClickHouseHttp(config.endpoints(), ClickHouseStore.settings(config, true));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aChatArrivingAfterItsMessagesHoursWereRecomputedChangesThem() {
        store.write(List.of(message("m1", "c1", null, hourMs(3)), llm("l1", "c1", "bob", 2_000_000, hourMs(5))));
        store.recomputeRollups();
        assertThat(usage("alice")).isEqualTo(new MemberUsageRollup.Totals(0, 0, 0));

        store.write(List.of(chat("c1", "alice", hourMs(10))));

        assertThat(usage("alice")).as("read before recomputation").isEqualTo(new MemberUsageRollup.Totals(1, 1, 2_000_000));
        assertThat(store.recomputeRollups()).as("the chat's hour and both hours referencing it").isEqualTo(3);
        assertThat(usage("alice")).as("read from the rollup").isEqualTo(new MemberUsageRollup.Totals(1, 1, 2_000_000));
        assertThat(usage("bob")).isEqualTo(new MemberUsageRollup.Totals(0, 0, 2_000_000));
        assertThat(store.recomputeRollups()).isZero();
    }

    /**
     * A chat's writer looks up the hours referencing it only when its known ids may hold a reference
     * to it: learned from another instance's announcement when loaded before the message was
     * written, from the recorded references when loaded after.
     */
    @Test
    void aChatWrittenOnAnotherInstanceAfterItsMessagesChangesTheirHours() {
        ClickHouseEventStore loadedBefore = (ClickHouseEventStore) ClickHouseStore.open(config).events();
        ClickHouseEventStore loadedAfter = null;
        try {
            loadedBefore.write(List.of(chat("c0", "carol", hourMs(1))));
            store.write(List.of(message("m1", "c1", null, hourMs(3)), message("m2", "c2", null, hourMs(4)),
                    chat("c3", "alice", hourMs(5))));
            store.recomputeRollups();
            assertThat(usage("alice")).isEqualTo(new MemberUsageRollup.Totals(1, 0, 0));

            loadedBefore.write(List.of(chat("c1", "alice", hourMs(10))));
            assertThat(loadedBefore.recomputeRollups()).as("the chat's hour and its message's").isEqualTo(2);
            assertThat(usage("alice")).isEqualTo(new MemberUsageRollup.Totals(2, 1, 0));

            loadedAfter = (ClickHouseEventStore) ClickHouseStore.open(config).events();
            loadedAfter.write(List.of(chat("c2", "alice", hourMs(11))));
            assertThat(loadedAfter.recomputeRollups()).as("the chat's hour and its message's").isEqualTo(2);
            assertThat(usage("alice")).isEqualTo(new MemberUsageRollup.Totals(3, 2, 0));
        } finally {
            loadedBefore.close();
            if (loadedAfter != null) {
                loadedAfter.close();
            }
        }
    }

    @Test
    void aMessageNamingItsChatsOwnerCountsOnce() {
        store.write(List.of(chat("c1", "alice", hourMs(1)), message("m1", "c1", "alice", hourMs(2)),
                message("m2", "c1", "bob", hourMs(2)), llm("l1", "c1", "alice", 1_500_000, hourMs(3)),
                message("m3", "c9", "alice", hourMs(4))));
        MemberUsageRollup.Totals alice = new MemberUsageRollup.Totals(1, 3, 1_500_000);
        MemberUsageRollup.Totals bob = new MemberUsageRollup.Totals(0, 1, 0);
        assertThat(usage("alice")).as("derived").isEqualTo(alice);
        assertThat(usage("bob")).as("derived").isEqualTo(bob);

        store.recomputeRollups();

        assertThat(usage("alice")).as("recorded").isEqualTo(alice);
        assertThat(usage("bob")).as("recorded").isEqualTo(bob);
        assertThat(http.query("SELECT sum(messages) AS n FROM " + ClickHouseMemberUsage.TABLE + " WHERE member_id = 'alice'")
                .get(0).longValue("n")).as("rows stored once per member and hour").isEqualTo(3);
    }

    @Test
    void recordedHoursAreReadFromTheRollupAndTheOthersDerived() {
        store.write(List.of(chat("c1", "alice", hourMs(1)), message("m1", "c1", null, hourMs(2))));
        store.recomputeRollups();
        long generation = http.query("SELECT generation FROM " + ClickHouseRollups.HOURS + " WHERE hour = "
                + hourMs(2) / HOUR_MS).get(0).longValue("generation");

        insertUsageRow(generation + 1, 2, 100);
        assertThat(usage("alice").messages()).as("rows of another generation are not read").isEqualTo(1);
        insertUsageRow(generation, 2, 100);
        assertThat(usage("alice").messages()).as("a recorded hour is read from its generation's rows").isEqualTo(101);

        store.write(List.of(message("m2", "c1", null, hourMs(2) + 5)));
        assertThat(usage("alice").messages()).as("an hour marked since is derived from raw rows").isEqualTo(2);
        store.write(List.of(message("m3", "c1", null, hourMs(7))));
        assertThat(usage("alice").messages()).as("an hour never recorded is derived").isEqualTo(3);
        assertThat(store.recomputeRollups()).isEqualTo(2);
        assertThat(usage("alice").messages()).isEqualTo(3);
    }

    /**
     * Random chats, messages and LLM requests of two tenants written in random order, some twice,
     * some copied past the duplicate lookup, with recomputations in between, so chats arrive before
     * and after their messages and after those hours were recorded.
     */
    @Test
    void randomEventsAnswerAsRawRowsAndAsDuckDb() {
        Random random = new Random(13);
        List<Event> events = randomEvents(random, 600);
        Collections.shuffle(events, random);
        try (DuckDbDatabase database = DuckDbDatabase.inMemory();
             DuckDbEventStore duckDb = new DuckDbEventStore(database)) {
            for (int start = 0; start < events.size(); start += 40) {
                List<Event> batch = new ArrayList<>(events.subList(start, Math.min(events.size(), start + 40)));
                if (start > 0) {
                    batch.add(events.get(random.nextInt(start)));
                }
                store.write(batch);
                duckDb.write(batch);
                if (random.nextInt(4) == 0) {
                    // a copy that slipped past the duplicate lookup: FINAL collapses it, and DISTINCT its owner
                    http.insert("events", ClickHouseEventStore.row(batch.get(0), null) + "\n");
                }
                if (random.nextInt(3) == 0) {
                    store.recomputeRollups();
                }
                assertAnswers(duckDb, random);
            }
            store.recomputeRollups();
            assertAnswers(duckDb, random);
        }
    }

    private void assertAnswers(DuckDbEventStore duckDb, Random random) {
        for (String tenant : List.of("t", "u")) {
            for (String member : List.of("alice", "bob", "carol", "dave")) {
                long first = DAY - 1 + random.nextInt(3);
                long last = first + random.nextInt(3);
                MemberUsageRollup.Totals raw = MemberUsageRollup.totals(store.query(MemberUsageRollup.readRaw(
                        store.rows(RawTable.EVENTS), tenant, member, first, last)).get(0));
                assertThat(store.memberUsage(tenant, member, first, last)).as("%s %s %d..%d", tenant, member, first, last)
                        .isEqualTo(raw).isEqualTo(duckDb.memberUsage(tenant, member, first, last));
            }
        }
    }

    private static List<Event> randomEvents(Random random, int count) {
        List<String> members = List.of("alice", "bob", "carol", "dave");
        List<Event> events = new ArrayList<>();
        for (int index = 0; index < count; index++) {
            long time = DAY_MS - 12 * HOUR_MS + (long) (random.nextDouble() * 60 * HOUR_MS);
            String member = random.nextInt(5) == 0 ? null : members.get(random.nextInt(members.size()));
            String chatId = random.nextInt(8) == 0 ? null : "c" + random.nextInt(40);
            Event event = switch (random.nextInt(3)) {
                case 0 -> chat("c" + index % 45, member, time);
                case 1 -> message("m" + index, chatId, member, time);
                default -> llm("l" + index, chatId, member, random.nextInt(3_000_000), time);
            };
            event.id = event.id + (event.type == EventType.CHAT ? "" : "-" + index);
            event.tenantId = random.nextInt(3) == 0 ? "u" : "t";
            events.add(event);
        }
        // one chat per id and tenant: a chat id names one chat
        List<String> seen = new ArrayList<>();
        events.removeIf(event -> event.type == EventType.CHAT && (seen.contains(event.tenantId + event.id)
                || !seen.add(event.tenantId + event.id)));
        return events;
    }

    private MemberUsageRollup.Totals usage(String member) {
        return store.memberUsage("t", member, DAY, DAY);
    }

    private void insertUsageRow(long generation, int hour, long messages) {
        http.insert(ClickHouseMemberUsage.TABLE, "{\"tenant_id\":\"t\",\"hour\":" + hourMs(hour) / HOUR_MS
                + ",\"generation\":" + generation + ",\"member_id\":\"alice\",\"chats\":0,\"messages\":" + messages
                + ",\"credits_micros\":0}\n");
    }

    /** 2026-03-12 at {@code hour}:00 UTC. */
    private static long hourMs(int hour) {
        return DAY_MS + hour * HOUR_MS;
    }
}
