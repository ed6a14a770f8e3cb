package dev.tally.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.ingest.WriteOutcome;
import dev.tally.store.EventStore;
import dev.tally.store.EventStoreContract;
import dev.tally.store.rollup.RollupRead;
import dev.tally.store.rollup.Rollups;
import dev.tally.store.sql.RawTable;
import dev.tally.store.sql.SqlBuilder;
import dev.tally.testing.ClickHouseCluster;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The store contract against two real ClickHouse shards behind Distributed tables. */
class ClickHouseEventStoreTest extends EventStoreContract {
    private ClickHouseConfig config;

    @Override
    protected EventStore newStore() {
        config = ClickHouseCluster.shared().newDatabase();
        return ClickHouseStore.open(config).events();
    }

    @Test
    void storedIdsAreKnownToAnotherInstance() {
        assertThat(store.write(List.of(llm("acme", "e1"), llm("acme", "e2"))))
                .containsExactly(WriteOutcome.STORED, WriteOutcome.STORED);

        EventStore other = ClickHouseStore.open(config).events();

        assertThat(other.write(List.of(llm("acme", "e1"), llm("acme", "e2"), llm("acme", "e3"))))
                .containsExactly(WriteOutcome.DUPLICATE, WriteOutcome.DUPLICATE, WriteOutcome.STORED);
        other.close();
        assertThat(count("events", "acme")).isEqualTo(3);
    }

    /**
     * Two instances correcting one event at once, each moving it to another hour: each covers only
     * the row it knew of, so both corrections are live until the worker settles the hours and
     * leaves the highest revision alone.
     */
    @Test
    void racingCorrectionsThatMoveAnEventLeaveTheHighestRevisionOnceSettled() {
        ClickHouseEventStore second = (ClickHouseEventStore) ClickHouseStore.open(config).events();
        try {
            store.write(List.of(llm("acme", "e1")));
            dev.tally.event.Event lower = llm("acme", "e1");
            lower.revision = 1;
            lower.timeMs = TIME_MS + 3_600_000L;
            dev.tally.event.Event higher = llm("acme", "e1");
            higher.revision = 2;
            higher.timeMs = TIME_MS + 7_200_000L;
            // the second instance has looked the event up when the first writes its correction
            second.injectFaults(step -> {
                if (step == ClickHouseWriteStep.PLANNED) {
                    second.injectFaults(null);
                    assertThat(store.write(List.of(lower))).containsExactly(WriteOutcome.UPDATED);
                }
            });
            assertThat(second.write(List.of(higher))).containsExactly(WriteOutcome.UPDATED);
            assertThat(liveRevisions()).as("both corrections live before the worker").containsExactly(1L, 2L);

            ((ClickHouseEventStore) store).recomputeRollups();

            assertThat(liveRevisions()).containsExactly(2L);
            assertThat(store.write(List.of(lower))).containsExactly(WriteOutcome.STALE_REVISION);
        } finally {
            second.close();
        }
    }

    private List<Long> liveRevisions() {
        return store.query(new SqlBuilder().append("SELECT revision FROM " + store.rows(RawTable.EVENTS)
                + "tenant_id = 'acme' AND id = 'e1' ORDER BY revision").build()).stream()
                .map(row -> row.longValue("revision")).toList();
    }

    @Test
    void tabSeparatedAnswersGiveBackTheTextAsStored() {
        ClickHouseHttp http = new ClickHouseHttp(config.endpoints(), ClickHouseStore.settings(config, true));
        String hostile = "tab\there, line\nbreak, back\\slash, nul\0, quote' \"\u00e9\ud83d\ude00";
        List<String[]> rows = http.queryTabSeparated(ClickHouseLiterals.bind(new SqlBuilder().append("SELECT ")
                .value(hostile).append(" AS text, toInt64(-7) AS number UNION ALL SELECT '', toInt64(0)").build()));
        assertThat(rows).hasSize(2);
        assertThat(rows.stream().filter(row -> row[1].equals("-7")).findFirst().orElseThrow()[0]).isEqualTo(hostile);
        assertThat(rows.stream().filter(row -> row[1].equals("0")).findFirst().orElseThrow()[0]).isEmpty();
    }

    @Test
    void tenantsAreSpreadOverBothShards() {
        for (int tenant = 0; tenant < 20; tenant++) {
            store.write(List.of(llm("tenant-" + tenant, "e1")));
        }

        // Each shard's own table holds part of the tenants, and the Distributed table sees them all.
        long total = 0;
        for (var endpoint : ClickHouseCluster.shared().endpoints()) {
            ClickHouseHttp shard = new ClickHouseHttp(List.of(endpoint), ClickHouseStore.settings(config, true));
            long onShard = shard.query("SELECT count() AS n FROM events_local").get(0).longValue("n");
            assertThat(onShard).as("events on " + endpoint).isBetween(1L, 19L);
            total += onShard;
        }
        assertThat(total).isEqualTo(20);
        assertThat(store.query(new SqlBuilder().append("SELECT count(*) AS n FROM " + store.rows(RawTable.EVENTS) + "1 = 1").build()).get(0)
                .longValue("n")).isEqualTo(20);
    }

    @Test
    void aReplayThatSlipsPastTheLookupIsCountedOnce() {
        ClickHouseHttp http = new ClickHouseHttp(config.endpoints(), ClickHouseStore.settings(config, true));
        store.write(List.of(llm("acme", "e1")));
        // As if a second instance had written the same new event at the same moment: the row arrives twice.
        String row = http.query("SELECT * FROM events WHERE tenant_id = 'acme'").get(0).asMap().entrySet().stream()
                .map(entry -> "\"" + entry.getKey() + "\":" + json(entry.getValue()))
                .reduce((left, right) -> left + "," + right).map(body -> "{" + body + "}").orElseThrow();
        http.insert("events", row);
        assertThat(http.query("SELECT count() AS n FROM events").get(0).longValue("n")).as("without FINAL").isEqualTo(2);

        assertThat(count("events", "acme")).isEqualTo(1);
        assertThat(store.query(new SqlBuilder().append("SELECT sum(input_tokens + 1) AS n FROM " + store.rows(RawTable.EVENTS) + "tenant_id = ")
                .value("acme").build()).get(0).longValue("n")).isEqualTo(1);
        // what the reports read: the rollup's rows, which ClickHouse derives from the same raw rows
        assertThat(store.query(new SqlBuilder().append("SELECT sum(events) AS n, sum(input_tokens) AS tokens FROM ")
                .append(store.rollup(RollupRead.of(Rollups.USAGE_BY_MODEL, "acme", 0, Long.MAX_VALUE)))
                .append(" AS usage_rows").build()).get(0).longValue("n")).isEqualTo(1);
    }

    private static String json(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Number) {
            return value.toString();
        }
        return "\"" + value.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
