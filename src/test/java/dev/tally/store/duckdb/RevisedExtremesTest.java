package dev.tally.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.event.Event;
import dev.tally.store.EventStoreContract;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.SqlBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A correction takes a value out of a group's minimum or maximum only when that value was the
 * extreme: the group's deltas are written when it was not; when it was, the group is listed with
 * stale extremes ({@link StaleExtremes}) and rebuilt from raw rows later, and a read of its extremes
 * meanwhile gets them exact. Either way the rollups equal a rebuild from the raw rows.
 */
class RevisedExtremesTest {
    private static final String EXTREMES = "SELECT min(output_tokens_min) AS low, max(output_tokens_max) AS high,"
            + " sum(output_tokens_sum)::BIGINT AS total FROM rollup_llm_by_hour WHERE tenant_id = 'acme'";

    @Test
    void aCorrectedValueMovesTheExtremesOnlyWhenItWasOne() {
        DuckDbDatabase database = DuckDbDatabase.inMemory();
        try (DuckDbEventStore store = new DuckDbEventStore(database)) {
            store.write(List.of(tokens("e1", 10, 0), tokens("e2", 20, 0), tokens("e3", 30, 0)));
            assertThat(extremes(store)).containsExactly(10L, 30L, 60L);

            store.write(List.of(tokens("e2", 25, 1)));
            assertThat(extremes(store)).as("neither extreme was 20").containsExactly(10L, 30L, 65L);

            store.write(List.of(tokens("e1", 15, 1)));
            assertThat(extremes(store)).as("the minimum was 10: listed, rebuilt").containsExactly(15L, 30L, 70L);

            store.write(List.of(tokens("e3", 5, 1)));
            assertThat(extremes(store)).as("the maximum was 30: listed, rebuilt").containsExactly(5L, 25L, 45L);

            store.write(List.of(tokens("e2", 25, 2), tokens("e4", 25, 0)));
            assertThat(extremes(store)).as("an equal value again, beside an equal new one").containsExactly(5L, 25L, 70L);
            store.write(List.of(tokens("e2", 24, 3)));
            assertThat(extremes(store)).as("25 was the maximum, and still is: e4 holds it").containsExactly(5L, 25L, 69L);
            assertThat(store.checkRollups(false).total()).isZero();
        } finally {
            database.close();
        }
    }

    @Test
    void randomCorrectionsLeaveTheRollupsAsARebuildWouldMakeThem() {
        Random random = new Random(11);
        DuckDbDatabase database = DuckDbDatabase.inMemory();
        try (DuckDbEventStore store = new DuckDbEventStore(database)) {
            Map<String, Integer> revisions = new HashMap<>();
            List<Event> first = new ArrayList<>();
            for (int index = 0; index < 60; index++) {
                first.add(randomized(random, "e" + index, 0));
                revisions.put("e" + index, 0);
            }
            store.write(first);
            for (int batch = 0; batch < 30; batch++) {
                List<Event> corrections = new ArrayList<>();
                for (int index : random.ints(8, 0, 60).distinct().toArray()) {
                    int revision = revisions.merge("e" + index, 1, Integer::sum);
                    corrections.add(randomized(random, "e" + index, revision));
                }
                store.write(corrections);
                assertThat(store.checkRollups(false).total()).as("after batch " + batch).isZero();
            }
        } finally {
            database.close();
        }
    }

    /** Output tokens, latency and hour drawn from few values, so extremes are often hit, shared and moved. */
    static Event randomized(Random random, String id, int revision) {
        Event event = tokens(id, random.nextInt(6) * 10, revision);
        event.timeMs += random.nextInt(2) * 3_600_000L;
        event.endedMs = random.nextInt(4) == 0 ? null : event.timeMs + random.nextInt(5) * 100L;
        event.model = random.nextBoolean() ? "gpt-4o-mini" : "gpt-4o";
        return event;
    }

    static Event tokens(String id, long outputTokens, int revision) {
        Event event = EventStoreContract.llm("acme", id);
        event.outputTokens = outputTokens;
        event.inputTokens = 100;
        event.revision = revision;
        return event;
    }

    /** As a read sees them: the groups listed with stale extremes rebuilt first. */
    private static List<Long> extremes(DuckDbEventStore store) {
        store.rebuildStaleExtremes();
        Row row = store.query(new SqlBuilder().append(EXTREMES).build()).get(0);
        return List.of(row.longValue("low"), row.longValue("high"), row.longValue("total"));
    }
}
