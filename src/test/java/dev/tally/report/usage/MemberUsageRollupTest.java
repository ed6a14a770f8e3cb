package dev.tally.report.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.event.Event;
import dev.tally.event.EventType;
import dev.tally.ingest.WriteOutcome;
import dev.tally.report.DateRange;
import dev.tally.store.ReportStore;
import dev.tally.store.duckdb.DuckDbDatabase;
import dev.tally.store.duckdb.DuckDbEventStore;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The member usage report from the member rollup equals, exactly, the one from raw events, for
 * randomized chats, messages and LLM requests arriving in random order (messages before their
 * chat, in the same batch or earlier ones), with duplicates (some with other contents, which the
 * store ignores), chats naming no member, messages in chats that never arrive, and events that
 * name one member in another's chat.
 */
class MemberUsageRollupTest {
    private static final String[] TENANTS = {"t1", "t2"};
    private static final String[] MEMBERS = {"m0", "m1", "m2", "m3", "m4"};
    private static final LocalDate FIRST_DAY = LocalDate.of(2026, 2, 1);
    private static final int DAYS = 20;
    private static final int CHAT_IDS = 40;

    @ParameterizedTest(name = "seed {0}, compacted {1}")
    @CsvSource({"1, false", "2, true", "3, false", "4, true", "5, false"})
    void rollupAnswersEqualRawAnswers(long seed, boolean compacted) {
        Random random = new Random(seed);
        try (DuckDbDatabase database = DuckDbDatabase.inMemory();
             DuckDbEventStore store = new DuckDbEventStore(database)) {
            List<Event> sent = new ArrayList<>(randomEvents(random));
            Collections.shuffle(sent, random);
            int position = 0;
            while (position < sent.size()) {
                int size = 1 + random.nextInt(60);
                List<Event> batch = new ArrayList<>(sent.subList(position, Math.min(sent.size(), position + size)));
                for (int repeat = random.nextInt(4); repeat > 0; repeat--) {
                    batch.add(random.nextBoolean() ? batch.get(random.nextInt(batch.size()))
                            : changed(sent.get(random.nextInt(position + 1)), random));
                }
                Collections.shuffle(batch, random);
                List<WriteOutcome> outcomes = store.write(batch);
                assertThat(outcomes).hasSize(batch.size());
                position += size;
            }
            if (compacted) {
                store.compactRollups();
            }

            ReportStore raw = store.withoutRollups();
            long attributedMessages = 0;
            for (String tenant : TENANTS) {
                for (String member : List.of("m0", "m1", "m2", "m3", "m4", "nobody")) {
                    for (int question = 0; question < 6; question++) {
                        LocalDate from = FIRST_DAY.minusDays(2).plusDays(random.nextInt(DAYS + 2));
                        DateRange range = new DateRange(from, from.plusDays(random.nextInt(DAYS)));
                        MemberUsageReport expected = new MemberUsageQuery(raw).run(tenant, member, range);
                        assertThat(new MemberUsageQuery(store).run(tenant, member, range))
                                .as("%s %s %s", tenant, member, range).isEqualTo(expected);
                        attributedMessages += expected.totalMessages();
                    }
                }
            }
            assertThat(attributedMessages).as("the data is not trivially empty").isGreaterThan(50);
        }
    }

    /** Chats (each id once per tenant, some naming no member) and messages and LLM requests that reference them. */
    private static List<Event> randomEvents(Random random) {
        List<Event> events = new ArrayList<>();
        for (String tenant : TENANTS) {
            // the last few chat ids never arrive as chats: their messages belong only to the members they name
            for (int chat = 0; chat < CHAT_IDS - 5; chat++) {
                Event event = event(tenant, "c" + chat, EventType.CHAT, random);
                event.memberId = random.nextInt(6) == 0 ? null : MEMBERS[random.nextInt(MEMBERS.length)];
                events.add(event);
            }
            for (int index = 0; index < 400; index++) {
                Event event = event(tenant, "e" + index, random.nextBoolean() ? EventType.MESSAGE : EventType.LLM,
                        random);
                event.memberId = random.nextInt(3) == 0 ? null : MEMBERS[random.nextInt(MEMBERS.length)];
                event.chatId = random.nextInt(5) == 0 ? null : "c" + random.nextInt(CHAT_IDS);
                if (event.type == EventType.LLM) {
                    event.creditsMicros = random.nextInt(5) == 0 ? 0 : 1 + random.nextInt(5_000_000);
                }
                events.add(event);
            }
        }
        return events;
    }

    private static Event event(String tenant, String id, EventType type, Random random) {
        Event event = new Event();
        event.tenantId = tenant;
        event.id = id;
        event.type = type;
        event.timeMs = FIRST_DAY.toEpochDay() * 86_400_000L + (long) (random.nextDouble() * DAYS * 86_400_000L);
        return event;
    }

    /** The same (tenant, id) sent again with another member, chat, time and credits: a duplicate that adds nothing. */
    private static Event changed(Event original, Random random) {
        Event copy = new Event();
        copy.tenantId = original.tenantId;
        copy.id = original.id;
        copy.type = original.type;
        copy.timeMs = original.timeMs + 86_400_000L;
        copy.memberId = MEMBERS[random.nextInt(MEMBERS.length)];
        copy.chatId = original.type == EventType.CHAT ? null : "c" + random.nextInt(CHAT_IDS);
        copy.creditsMicros = original.type == EventType.LLM ? 9_999_999 : 0;
        return copy;
    }
}
