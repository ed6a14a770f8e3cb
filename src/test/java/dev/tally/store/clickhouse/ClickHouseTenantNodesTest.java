package dev.tally.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.bench.EventGenerator;
import dev.tally.store.ReportStore;
import dev.tally.store.rollup.RollupRead;
import dev.tally.store.sql.Sql;
import dev.tally.testing.ClickHouseCluster;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A tenant's report read on the node holding its rows, over the per-shard tables, answers what the
 * Distributed tables answer, and so does a read of every tenant with hour states asked of each node;
 * tenants land on both shards; only table references are renamed.
 */
class ClickHouseTenantNodesTest {
    /** 2026-03-15T00:00:00Z. */
    private static final long END_MS = 1_773_532_800_000L;

    private ClickHouseStore clickHouse;
    private ClickHouseEventStore store;
    private ClickHouseTenantNodes nodes;

    @BeforeEach
    void open() {
        ClickHouseConfig config = ClickHouseCluster.shared().newDatabase();
        clickHouse = ClickHouseStore.open(config);
        store = (ClickHouseEventStore) clickHouse.events();
        nodes = new ClickHouseTenantNodes(new ClickHouseHttp(config.endpoints(), ClickHouseStore.settings(config, true)),
                config);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aTenantsReadsOnItsNodeAnswerAsTheDistributedTables() {
        EventGenerator generator = new EventGenerator(3, 12_000, 1_000, END_MS, 4);
        int half = generator.batches() / 2;
        for (int batch = 0; batch < half; batch++) {
            store.write(generator.batch(batch));
        }
        // the first half's hours recomputed, the rest read from raw rows: both kinds of reads run on the node
        assertThat(store.recomputeRollups()).isPositive();
        for (int batch = half; batch < generator.batches(); batch++) {
            store.write(generator.batch(batch));
        }

        Set<URI> holders = new HashSet<>();
        for (String tenant : EventGenerator.TENANTS) {
            URI node = nodes.nodeOf(tenant).orElseThrow();
            holders.add(node);
            assertThat(nodes.nodeOf(tenant)).as("placed once, then known").hasValue(node);
        }
        assertThat(holders).as("three tenants sharded by their id over two shards").hasSize(2);
        assertThat(nodes.nodeOf("nobody")).isEmpty();

        assertThat(nodes.shardNodes()).as("two nodes, one shard each: a read of every tenant asks both")
                .containsExactlyInAnyOrderElementsOf(holders);
        // reads of every tenant among them: their hour states come from both nodes at once
        List<RollupRead> reads = RollupAnswers.reads(new SplittableRandom(3), generator.startMs());
        assertThat(reads).anyMatch(read -> read.tenantId() == null);
        for (RollupRead read : reads) {
            ReportStore session = store.session(read.tenantId(), read.fromMs(), read.toMs());
            assertThat(RollupAnswers.of(session, List.of(read))).as(read.toString())
                    .isEqualTo(RollupAnswers.of(store, List.of(read)));
        }
        Sql raw = new Sql("SELECT count() AS n, sum(input_tokens) AS tokens FROM " + store.rows(dev.tally.store.sql.RawTable.EVENTS)
                + "tenant_id = ?", List.of(EventGenerator.TENANTS[0]));
        assertThat(store.session(EventGenerator.TENANTS[0], 0, END_MS).query(raw).get(0).asMap())
                .isEqualTo(store.query(raw).get(0).asMap());
    }

    @Test
    void onlyReferencesToShardedTablesAreRenamed() {
        store.write(new EventGenerator(1, 10, 10, END_MS, 1).batch(0));
        assertThat(nodes.onShard("SELECT a FROM events FINAL WHERE tenant_id = ? AND x IN (SELECT id FROM calls"
                + " FINAL) ANY LEFT JOIN rollup_hours USING (hour) JOIN system.tables USING (name) FROM (SELECT 1)"))
                .isEqualTo("SELECT a FROM events_local FINAL WHERE tenant_id = ? AND x IN (SELECT id FROM calls_local"
                        + " FINAL) ANY LEFT JOIN rollup_hours_local USING (hour) JOIN system.tables USING (name) FROM (SELECT 1)");
        assertThat(nodes.onShard("SELECT events, calls FROM unknown_table WHERE type = 'call'"))
                .as("not a reference, or not a sharded table").isEqualTo("SELECT events, calls FROM unknown_table WHERE type = 'call'");
    }
}
