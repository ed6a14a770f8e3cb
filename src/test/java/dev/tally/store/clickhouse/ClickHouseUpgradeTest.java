package dev.tally.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.event.CostSource;
import dev.tally.event.Event;
import dev.tally.event.EventType;
import dev.tally.ingest.WriteOutcome;
import dev.tally.pricing.PriceEntry;
import dev.tally.pricing.PriceUnit;
import dev.tally.store.MetadataStore;
import dev.tally.store.callcost.CallCostDetail;
import dev.tally.store.callcost.CallCostOrder;
import dev.tally.store.callcost.CallCostQuery;
import dev.tally.store.callcost.CallCostSummary;
import dev.tally.store.callcost.CostComponent;
import dev.tally.store.rollup.MemberUsageRollup;
import dev.tally.store.rollup.RollupRead;
import dev.tally.store.rollup.Rollups;
import dev.tally.store.sql.RawTable;
import dev.tally.store.sql.SqlBuilder;
import dev.tally.testing.ChatEvents;
import dev.tally.testing.ClickHouseCluster;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Databases written by earlier releases, opened by this one: without an id table, marks or rollups,
 * its stored ids still turn duplicates away and its hours get rollups; with rollups but no member
 * usage, chat owners or references, member usage answers as its raw rows do.
 */
class ClickHouseUpgradeTest {

    @Test
    void aDatabaseWithoutIdsMarksOrRollupsIsCompletedWhenOpened() {
        ClickHouseConfig config = ClickHouseCluster.shared().newDatabase();
        ClickHouseEventStore first = (ClickHouseEventStore) ClickHouseStore.open(config).events();
        List<Event> events = List.of(ClickHouseRollupsTest.llm("e1", 1_773_446_400_000L),
                ClickHouseRollupsTest.llm("e2", 1_773_450_000_000L));
        first.write(events);
        first.close();
        // as the last release left it: only the raw tables hold rows, and no view records the ids
        ClickHouseHttp http = new ClickHouseHttp(config.endpoints(), Map.of());
        for (URI endpoint : config.endpoints()) {
            http.executeOn(endpoint, "DROP TABLE " + config.database() + "." + ClickHouseEventIds.VIEW);
            for (String table : List.of(ClickHouseSchema.EVENT_IDS, ClickHouseRollups.MARKS, ClickHouseRollups.HOURS)) {
                http.executeOn(endpoint, "TRUNCATE TABLE " + config.database() + "." + table + "_local");
            }
        }

        ClickHouseEventStore reopened = (ClickHouseEventStore) ClickHouseStore.open(config).events();
        try {
            assertThat(reopened.write(events)).containsOnly(WriteOutcome.DUPLICATE);
            assertThat(reopened.recomputeRollups()).as("both events' hours").isEqualTo(2);
            List<Event> later = List.of(ClickHouseRollupsTest.llm("e3", 1_773_450_000_000L));
            assertThat(reopened.write(later)).containsOnly(WriteOutcome.STORED);
            assertThat(reopened.write(later)).as("its id recorded by the view made on opening")
                    .containsOnly(WriteOutcome.DUPLICATE);
        } finally {
            reopened.close();
        }
    }

    /**
     * The last release kept calls ordered by (tenant, id). Opened by this one, the table is copied
     * into the layout ordered by time, with each call's latest state, and the call-state lookup
     * knows every stored call.
     */
    @Test
    void callsOrderedByIdAreReorderedByTimeWhenOpened() {
        ClickHouseConfig config = ClickHouseCluster.shared().newDatabase();
        String database = config.database();
        ClickHouseHttp http = lastRelease(config, Map.of("calls", "(" + ClickHouseSchema.eventColumns(true)
                + ") ENGINE = ReplacingMergeTree(version) ORDER BY (tenant_id, id)"));
        long startMs = 1_773_446_400_000L;
        http.insert(database + ".calls", String.join("\n",
                ClickHouseEventStore.row(ClickHouseRollupsTest.call("c1", startMs, "in_progress"), 1L),
                ClickHouseEventStore.row(ClickHouseRollupsTest.call("c1", startMs, "completed"), 2L),
                ClickHouseEventStore.row(ClickHouseRollupsTest.call("c2", startMs + 60_000, "completed"), 1L)) + "\n");

        ClickHouseEventStore store = (ClickHouseEventStore) ClickHouseStore.open(config).events();
        try {
            assertThat(liveCalls(store)).containsExactly("c1 completed", "c2 completed");
            assertThat(store.write(List.of(ClickHouseRollupsTest.call("c1", startMs, "in_progress"))))
                    .as("a final status never reverts: the lookup knows c1").containsExactly(WriteOutcome.STALE);
            assertThat(store.write(List.of(ClickHouseRollupsTest.call("c2", startMs + 7_200_000, "failed"))))
                    .containsExactly(WriteOutcome.UPDATED);
            assertThat(liveCalls(store)).containsExactly("c1 completed", "c2 failed");
            assertThat(store.recomputeRollups()).as("the hours of both calls' times").isEqualTo(2);
            assertThat(liveCalls(store)).containsExactly("c1 completed", "c2 failed");
        } finally {
            store.close();
        }
        // opening again finds the new layout and changes nothing
        ClickHouseEventStore again = (ClickHouseEventStore) ClickHouseStore.open(config).events();
        try {
            assertThat(liveCalls(again)).containsExactly("c1 completed", "c2 failed");
        } finally {
            again.close();
        }
    }

    /**
     * The calls an upgrade left in their former layout (ordered by id) are a copy of what the new
     * table holds: an erased call id is deleted from there too, not left behind.
     */
    @Test
    void anErasedCallIsRemovedFromTheCallsAnUpgradeLeftBehind() {
        ClickHouseConfig config = ClickHouseCluster.shared().newDatabase();
        ClickHouseHttp http = lastReleaseWithTwoCalls(config, 1_773_446_400_000L + 60_000);

        ClickHouseEventStore store = (ClickHouseEventStore) ClickHouseStore.open(config).events();
        try {
            Map<String, Long> rows = store.erase(new dev.tally.store.SubjectErasure("era_1", "acme",
                    dev.tally.tenant.ErasureSubject.CALL_ID, "c1", "erased-0123456789abcdef0123"));
            assertThat(rows).containsKeys("calls", ClickHouseSchema.CALLS_BEFORE_TIME_ORDER);
            assertThat(liveCalls(store)).containsExactly("c2 completed", "erased-0123456789abcdef0123 completed");
            long left = 0;
            for (URI endpoint : config.endpoints()) {
                left += http.queryOn(endpoint, "SELECT count() AS n FROM " + config.database() + "."
                        + ClickHouseSchema.localName(ClickHouseSchema.CALLS_BEFORE_TIME_ORDER) + " WHERE id = 'c1'")
                        .get(0).longValue("n");
            }
            assertThat(left).isZero();
        } finally {
            store.close();
        }
    }

    /**
     * The calls an upgrade left in their former layout are raw rows too: retention deletes those
     * before the horizon from there as well.
     */
    @Test
    void retentionDeletesExpiredCallsFromTheCallsAnUpgradeLeftBehind() {
        ClickHouseConfig config = ClickHouseCluster.shared().newDatabase();
        long startMs = 1_773_446_400_000L;
        ClickHouseHttp http = lastReleaseWithTwoCalls(config, startMs + 86_400_000);

        ClickHouseEventStore store = (ClickHouseEventStore) ClickHouseStore.open(config).events();
        try {
            store.recomputeRollups();
            assertThat(store.deleteRawBefore("acme", startMs + 3_600_000)).containsEntry("calls", 1L);
            assertThat(liveCalls(store)).containsExactly("c2 completed");
            List<String> left = new java.util.ArrayList<>();
            for (URI endpoint : config.endpoints()) {
                http.queryOn(endpoint, "SELECT id FROM " + config.database() + "."
                        + ClickHouseSchema.localName(ClickHouseSchema.CALLS_BEFORE_TIME_ORDER))
                        .forEach(row -> left.add(row.string("id")));
            }
            assertThat(left).containsExactly("c2");
        } finally {
            store.close();
        }
    }

    /**
     * A database of the last release with its calls ordered by id: c1 completed at 2026-03-14
     * 00:00 UTC, c2 completed at {@code secondMs}.
     */
    private static ClickHouseHttp lastReleaseWithTwoCalls(ClickHouseConfig config, long secondMs) {
        ClickHouseHttp http = lastRelease(config, Map.of("calls", "(" + ClickHouseSchema.eventColumns(true)
                + ") ENGINE = ReplacingMergeTree(version) ORDER BY (tenant_id, id)"));
        http.insert(config.database() + ".calls", String.join("\n",
                ClickHouseEventStore.row(ClickHouseRollupsTest.call("c1", 1_773_446_400_000L, "completed"), 1L),
                ClickHouseEventStore.row(ClickHouseRollupsTest.call("c2", secondMs, "completed"), 1L)) + "\n");
        return http;
    }

    /**
     * The last release had no hours of call parts: opened by this one, the hours of the parts it
     * stored are filled in, so every part is found, a late one days after its call too.
     */
    @Test
    void aDatabaseWithoutTheHoursOfCallPartsFindsEveryPartWhenOpened() {
        ClickHouseConfig config = ClickHouseCluster.shared().newDatabase();
        long startMs = Instant.parse("2026-03-12T10:00:00Z").toEpochMilli();
        ClickHouseEventStore first = (ClickHouseEventStore) ClickHouseStore.open(config).events();
        first.write(List.of(ClickHouseRollupsTest.call("c1", startMs, "completed"), part("p1", startMs + 60_000, 7_000),
                part("p2", startMs + 3 * 86_400_000L, 11_000)));
        CallCostQuery month = new CallCostQuery("acme",
                Instant.parse("2026-03-01T00:00:00Z").toEpochMilli(), Instant.parse("2026-04-01T00:00:00Z").toEpochMilli(),
                null, 10, CallCostOrder.COST_DESC);
        CallCostDetail detail = first.callCost("acme", "c1").orElseThrow();
        CallCostSummary summary = first.callCosts(month);
        assertThat(detail.parts()).hasSize(2);
        first.close();
        // as the last release left it: no view, no table
        ClickHouseHttp http = new ClickHouseHttp(config.endpoints(), Map.of());
        for (URI endpoint : config.endpoints()) {
            http.executeOn(endpoint, "DROP TABLE " + config.database() + "." + ClickHouseCallParts.VIEW);
            http.executeOn(endpoint, "DROP TABLE " + config.database() + "." + ClickHouseCallParts.TABLE);
            http.executeOn(endpoint, "DROP TABLE " + config.database() + "." + ClickHouseCallParts.TABLE + "_local");
        }

        ClickHouseEventStore reopened = (ClickHouseEventStore) ClickHouseStore.open(config).events();
        try {
            assertThat(reopened.callCost("acme", "c1")).contains(detail);
            assertThat(reopened.callCosts(month)).isEqualTo(summary);
            reopened.write(List.of(part("p3", startMs + 9 * 86_400_000L, 13_000)));
            assertThat(reopened.callCost("acme", "c1").orElseThrow().parts()).as("a part stored after the upgrade")
                    .hasSize(3);
        } finally {
            reopened.close();
        }
    }

    /**
     * The last release recorded hours without the sums of call parts by hour: opened by this one,
     * those hours are read from raw rows until the worker has recomputed them, then from the sums,
     * and the cost of calls answers the same throughout.
     */
    @Test
    void aDatabaseWithoutTheSumsOfCallPartsAnswersTheSameWhenOpened() {
        opensWithoutCallCostTables(List.of(ClickHouseCallPartSums.TABLE), 2, List.of());
    }

    /**
     * The last release kept no rows per call: its recorded hours holding calls are marked when
     * opened, read from raw rows until recomputed, then from the calls' rows, answering the same.
     */
    @Test
    void aDatabaseWithoutTheRowsOfCallsAnswersTheSameWhenOpened() {
        opensWithoutCallCostTables(List.of(ClickHouseCallCostRows.TABLE, ClickHouseCallCostRows.HOUR_SUMS), 1, List.of());
    }

    /**
     * The last release kept each call's row in a table sorted by hour alone: opened by this one, that
     * table is gone (nothing reads it, and it held call ids), and its hours are read raw until
     * recomputed into the ranked lists, answering the same.
     */
    @Test
    void aDatabaseWithTheFormerRowsOfCallsAnswersTheSameWhenOpened() {
        opensWithoutCallCostTables(List.of(ClickHouseCallCostRows.TABLE), 1,
                List.of(ClickHouseCallCostRows.FORMER_TABLE));
    }

    /**
     * The last release kept no call costs by day: the days it recorded are forgotten when opened,
     * their lists and sums read by the hour until the worker builds them again, then from the days'
     * rows, answering the same.
     */
    @Test
    void aDatabaseWithoutTheCallCostsOfDaysAnswersTheSameWhenOpened() {
        opensWithoutCallCostTables(List.of(ClickHouseCallCostDays.TABLE, ClickHouseCallCostDays.SUMS), 0, List.of());
    }

    /** The same with only the sums of days missing: the days are forgotten all the same. */
    @Test
    void aDatabaseWithoutTheCallCostSumsOfDaysAnswersTheSameWhenOpened() {
        opensWithoutCallCostTables(List.of(ClickHouseCallCostDays.SUMS), 0, List.of());
    }

    /**
     * A call and two parts a few days apart, recorded, then the tables dropped as the last release
     * lacked them: opened, the cost of calls answers the same at once, after the worker recomputed
     * {@code hoursMarked} hours (those the upgrade marks), and from the first table's rows then; the
     * last release's {@code formerTables} made before and gone after.
     */
    private static void opensWithoutCallCostTables(List<String> tables, int hoursMarked, List<String> formerTables) {
        ClickHouseConfig config = ClickHouseCluster.shared().newDatabase();
        long startMs = Instant.parse("2026-03-12T10:00:00Z").toEpochMilli();
        ClickHouseEventStore first = (ClickHouseEventStore) ClickHouseStore.open(config).events();
        // transcriptions, not LLM requests: the member usage upgrade marks the hours of those anyway
        first.write(List.of(ClickHouseRollupsTest.call("c1", startMs, "completed"),
                transcription(part("p1", startMs + 60_000, 7_000)), transcription(part("p2", startMs + 3 * 86_400_000L, 11_000))));
        first.recomputeRollups();
        CallCostQuery month = new CallCostQuery("acme",
                Instant.parse("2026-03-01T00:00:00Z").toEpochMilli(), Instant.parse("2026-04-01T00:00:00Z").toEpochMilli(),
                null, 10, CallCostOrder.COST_DESC);
        CallCostSummary summary = first.callCosts(month);
        assertThat(summary.calls().get(0).components().get(CostComponent.STT)).isEqualTo(18_000);
        first.close();
        ClickHouseHttp http = new ClickHouseHttp(config.endpoints(), Map.of());
        for (URI endpoint : config.endpoints()) {
            for (String table : tables) {
                http.executeOn(endpoint, "DROP TABLE " + config.database() + "." + table);
                http.executeOn(endpoint, "DROP TABLE " + config.database() + "." + table + "_local");
            }
            for (String table : formerTables) {
                for (String name : List.of(table, table + "_local")) {
                    http.executeOn(endpoint, "CREATE TABLE " + config.database() + "." + name
                            + " (tenant_id String, call_key String) ENGINE = MergeTree ORDER BY tenant_id");
                }
            }
        }

        ClickHouseEventStore reopened = (ClickHouseEventStore) ClickHouseStore.open(config).events();
        try {
            for (URI endpoint : config.endpoints()) {
                for (String table : formerTables) {
                    assertThat(http.queryOn(endpoint, "SELECT count() AS n FROM system.tables WHERE database = '"
                            + config.database() + "' AND name IN ('" + table + "', '" + table + "_local')").get(0)
                            .longValue("n")).as(table + " at " + endpoint).isZero();
                }
            }
            assertThat(reopened.callCosts(month)).as("opened").isEqualTo(summary);
            assertThat(reopened.recomputeRollups()).as("the hours the upgrade marked, recomputed").isEqualTo(hoursMarked);
            assertThat(http.query("SELECT count() AS n FROM " + config.database() + "." + tables.get(0))
                    .get(0).longValue("n")).as("rows recomputed").isPositive();
            assertThat(reopened.callCosts(month)).as("read from the recomputed rows").isEqualTo(summary);
        } finally {
            reopened.close();
        }
    }

    private static Event transcription(Event part) {
        part.type = EventType.STT;
        part.model = null;
        return part;
    }

    /** An LLM part of call c1 at {@code timeMs}, its cost given. */
    private static Event part(String id, long timeMs, long costNanos) {
        Event event = ClickHouseRollupsTest.llm(id, timeMs);
        event.callId = "c1";
        event.costNanos = costNanos;
        event.costSource = CostSource.REPORTED;
        return event;
    }

    /**
     * The last release kept rollups but no member usage: its recorded hours hold no member rows, and
     * it has no chat owners or references. Opened by this one, member usage answers as the raw rows
     * do at once, after the worker, and for a chat that arrives later still.
     */
    @Test
    void aDatabaseWithRollupsButNoMemberUsageIsCompletedWhenOpened() {
        ClickHouseConfig config = ClickHouseCluster.shared().newDatabase();
        long day = Instant.parse("2026-03-12T00:00:00Z").toEpochMilli();
        ClickHouseEventStore first = (ClickHouseEventStore) ClickHouseStore.open(config).events();
        first.write(List.of(ChatEvents.chat("c1", "alice", day + 3_600_000),
                ChatEvents.message("m1", "c1", "bob", day + 7_200_000),
                ChatEvents.llm("l1", "c2", null, 3_000_000, day + 10_800_000)));
        first.recomputeRollups();
        first.close();
        // as the last release left it: no owners, references or member rows, every hour recorded
        ClickHouseHttp http = new ClickHouseHttp(config.endpoints(), Map.of());
        for (URI endpoint : config.endpoints()) {
            for (String table : List.of(ClickHouseChatReferences.OWNERS_VIEW, ClickHouseChatReferences.OWNERS,
                    ClickHouseChatReferences.REFERENCES, ClickHouseMemberUsage.TABLE)) {
                http.executeOn(endpoint, "DROP TABLE " + config.database() + "." + table);
                if (!table.equals(ClickHouseChatReferences.OWNERS_VIEW)) {
                    http.executeOn(endpoint, "DROP TABLE " + config.database() + "." + table + "_local");
                }
            }
        }

        ClickHouseEventStore reopened = (ClickHouseEventStore) ClickHouseStore.open(config).events();
        try {
            long firstDay = day / 86_400_000L;
            assertThat(reopened.memberUsage("t", "alice", firstDay, firstDay)).as("before the worker")
                    .isEqualTo(new MemberUsageRollup.Totals(1, 1, 0));
            assertThat(reopened.recomputeRollups()).as("the three hours").isEqualTo(3);
            assertThat(reopened.memberUsage("t", "alice", firstDay, firstDay)).isEqualTo(new MemberUsageRollup.Totals(1, 1, 0));
            assertThat(reopened.memberUsage("t", "bob", firstDay, firstDay)).isEqualTo(new MemberUsageRollup.Totals(0, 1, 0));

            reopened.write(List.of(ChatEvents.chat("c2", "carol", day + 14_400_000)));
            assertThat(reopened.recomputeRollups()).as("the late chat's hour and the hour referencing it").isEqualTo(2);
            assertThat(reopened.memberUsage("t", "carol", firstDay, firstDay))
                    .isEqualTo(new MemberUsageRollup.Totals(1, 0, 3_000_000));
        } finally {
            reopened.close();
        }
        ClickHouseEventStore again = (ClickHouseEventStore) ClickHouseStore.open(config).events();
        try {
            assertThat(again.recomputeRollups()).as("completed once: nothing marked again").isZero();
        } finally {
            again.close();
        }
    }

    /**
     * The last release kept events in a ReplacingMergeTree without a version or tombstones, and ids
     * without their type, time or revision. Opened by this one, the events are copied into the
     * versioned layout, and corrections of events stored then replace them: one moved to another
     * day, one that names another member, and a chat given to another owner.
     */
    @Test
    void eventsOfTheLastReleaseTakeCorrectionsWhenOpened() {
        ClickHouseConfig config = ClickHouseCluster.shared().newDatabase();
        String database = config.database();
        ClickHouseHttp http = lastRelease(config, Map.of(
                "events", "(" + ClickHouseSchema.eventColumns(false) + ") ENGINE = ReplacingMergeTree() PARTITION BY "
                        + ClickHouseSchema.MONTH_OF_TIME + " ORDER BY (tenant_id, type, time_ms, id)",
                "event_ids", "(tenant_id String, id_hash Int64, id String) ENGINE = ReplacingMergeTree()"
                        + " ORDER BY (tenant_id, id_hash, id)"));
        long day = Instant.parse("2026-03-12T00:00:00Z").toEpochMilli();
        List<Event> stored = List.of(ChatEvents.chat("c1", "alice", day + 3_600_000),
                ChatEvents.message("m1", "c1", null, day + 7_200_000),
                ChatEvents.llm("l1", null, "alice", 5_000_000, day + 10_800_000));
        StringBuilder rows = new StringBuilder();
        StringBuilder ids = new StringBuilder();
        for (Event event : stored) {
            rows.append(ClickHouseEventStore.row(event, null)).append('\n');
            ids.append(BatchKeys.row(event.tenantId, event.id)).append('\n');
        }
        http.insert(database + ".events", rows.toString());
        http.insert(database + ".event_ids", ids.toString());

        ClickHouseEventStore store = (ClickHouseEventStore) ClickHouseStore.open(config).events();
        long firstDay = day / 86_400_000L;
        try {
            assertThat(store.memberUsage("t", "alice", firstDay, firstDay + 1))
                    .isEqualTo(new MemberUsageRollup.Totals(1, 1, 5_000_000));
            Event movedLlm = stored.get(2).copy();
            movedLlm.revision = 1;
            movedLlm.timeMs += 86_400_000L;
            movedLlm.memberId = "bob";
            movedLlm.creditsMicros = 7_000_000;
            Event givenChat = stored.get(0).copy();
            givenChat.revision = 1;
            givenChat.memberId = "bob";
            assertThat(store.write(List.of(movedLlm, givenChat, stored.get(1))))
                    .containsExactly(WriteOutcome.UPDATED, WriteOutcome.UPDATED, WriteOutcome.DUPLICATE);
            for (boolean recomputed : List.of(false, true)) {
                assertThat(store.memberUsage("t", "alice", firstDay, firstDay + 1)).as("recomputed " + recomputed)
                        .isEqualTo(new MemberUsageRollup.Totals(0, 0, 0));
                assertThat(store.memberUsage("t", "bob", firstDay, firstDay + 1)).as("recomputed " + recomputed)
                        .isEqualTo(new MemberUsageRollup.Totals(1, 1, 7_000_000));
                assertThat(store.memberUsage("t", "bob", firstDay, firstDay)).as("the request moved a day on")
                        .isEqualTo(new MemberUsageRollup.Totals(1, 1, 0));
                store.recomputeRollups();
            }
        } finally {
            store.close();
        }
        ClickHouseEventStore again = (ClickHouseEventStore) ClickHouseStore.open(config).events();
        try {
            assertThat(again.query(new SqlBuilder().append("SELECT id, revision FROM " + again.rows(RawTable.EVENTS)
                    + "tenant_id = 't' ORDER BY id").build()).stream()
                    .map(row -> row.string("id") + " " + row.longValue("revision")).toList())
                    .containsExactly("c1 1", "l1 1", "m1 0");
        } finally {
            again.close();
        }
    }

    /**
     * Tables as the last release made them, from their columns and engine: each a per-shard table
     * on every node and a Distributed table over them. Returns a client that inserts through them.
     */
    private static ClickHouseHttp lastRelease(ClickHouseConfig config, Map<String, String> definitions) {
        ClickHouseHttp http = new ClickHouseHttp(config.endpoints(), Map.of("insert_distributed_sync", "1",
                "input_format_skip_unknown_fields", "1"));
        String database = config.database();
        for (URI endpoint : config.endpoints()) {
            http.executeOn(endpoint, "CREATE DATABASE IF NOT EXISTS " + database);
            definitions.forEach((table, definition) -> {
                http.executeOn(endpoint, "CREATE TABLE " + database + "." + table + "_local " + definition);
                http.executeOn(endpoint, "CREATE TABLE " + database + "." + table + " AS " + database + "." + table
                        + "_local ENGINE = Distributed(" + config.cluster() + ", " + database + ", " + table
                        + "_local, cityHash64(tenant_id))");
            });
        }
        return http;
    }

    private static List<String> liveCalls(ClickHouseEventStore store) {
        return store.query(new SqlBuilder().append("SELECT id, status FROM " + store.rows(RawTable.CALLS)
                + "tenant_id = 'acme' ORDER BY id").build()).stream()
                .map(row -> row.string("id") + " " + row.string("status")).toList();
    }

    /**
     * The previous release's price table has token rates only: opened by this one, it gets the
     * rates of the other units and the call prefix, its entries read as before, and a call entry
     * of version 2 (no multiplier, which the old column cannot hold as NULL) is kept and read back.
     */
    @Test
    void aPriceTableOfThePreviousReleaseGetsTheRatesOfEveryUnit() {
        ClickHouseConfig config = ClickHouseCluster.shared().newDatabase();
        ClickHouseStore.open(config).events().close();
        ClickHouseHttp http = new ClickHouseHttp(config.endpoints(), Map.of());
        for (URI endpoint : config.endpoints()) {
            for (String table : List.of("price_entries_local", "price_entries")) {
                for (String column : List.of("per_audio_minute", "per_million_characters", "per_segment_outbound",
                        "per_segment_inbound", "per_minute_outbound", "per_minute_inbound", "prefix")) {
                    http.executeOn(endpoint, "ALTER TABLE " + config.database() + "." + table + " DROP COLUMN "
                            + column);
                }
            }
        }
        http.execute("INSERT INTO " + config.database() + ".price_entries (id, tenant_id, provider, model,"
                + " effective_from, input_per_million, output_per_million, credit_multiplier, deleted, version)"
                + " VALUES ('old', 'acme', 'openai', 'gpt-4o', '2025-01-01', '2.5', '10', '0.5', 0, 1)");

        ClickHouseStore reopened = ClickHouseStore.open(config);
        try {
            MetadataStore metadata = reopened.metadata();
            assertThat(metadata.prices()).singleElement().satisfies(entry -> {
                assertThat(entry.unit()).isEqualTo(PriceUnit.TOKENS);
                assertThat(entry.creditMultiplier()).isEqualByComparingTo("0.5");
                assertThat(entry.prefix()).isNull();
            });
            metadata.insertPrice(PriceEntry.of("calls-uk", null, "twilio", "*", LocalDate.of(2026, 1, 1), "+44",
                    Map.of("per_minute_outbound", new BigDecimal("0.02"), "per_minute_inbound", new BigDecimal("0.01"))));
            assertThat(metadata.prices()).filteredOn(entry -> entry.id().equals("calls-uk")).singleElement()
                    .satisfies(entry -> {
                        assertThat(entry.unit()).isEqualTo(PriceUnit.CALL_MINUTE);
                        assertThat(entry.prefix()).isEqualTo("+44");
                        assertThat(entry.perMinuteOutbound()).isEqualByComparingTo("0.02");
                        assertThat(entry.creditMultiplier()).isNull();
                    });
        } finally {
            reopened.events().close();
        }
    }

    /**
     * A rollup measure added by this release (unpriced calls) is missing from a database of the
     * last one: opened, the column is added, the hours recorded before are read raw, and the worker
     * rebuilds them with the new measure.
     */
    @Test
    void rollupsOfAnEarlierDefinitionAreReadRawUntilRecomputed() {
        ClickHouseConfig config = ClickHouseCluster.shared().newDatabase();
        long startMs = 1_773_446_400_000L;
        Event unpriced = ClickHouseRollupsTest.call("c1", startMs, "completed");
        unpriced.costSource = CostSource.UNPRICED;
        Event priced = ClickHouseRollupsTest.call("c2", startMs + 60_000, "completed");
        priced.costSource = CostSource.COMPUTED;
        ClickHouseEventStore first = (ClickHouseEventStore) ClickHouseStore.open(config).events();
        first.write(List.of(unpriced, priced));
        first.recomputeRollups();
        first.close();
        // as the last release left it: the measure's column absent, no version recorded
        ClickHouseHttp http = new ClickHouseHttp(config.endpoints(), Map.of());
        for (URI endpoint : config.endpoints()) {
            for (String table : List.of("rollup_calls_by_agent", "rollup_calls_by_agent_days")) {
                for (String name : List.of(table + "_local", table)) {
                    http.executeOn(endpoint, "ALTER TABLE " + config.database() + "." + name + " DROP COLUMN unpriced_calls");
                }
            }
            http.executeOn(endpoint, "TRUNCATE TABLE " + config.database() + ".rollup_version_local");
        }

        ClickHouseEventStore reopened = (ClickHouseEventStore) ClickHouseStore.open(config).events();
        try {
            assertThat(unpricedCalls(reopened, startMs)).as("read raw at once").isEqualTo(1);
            assertThat(reopened.recomputeRollups()).as("the hour recorded before").isEqualTo(1);
            assertThat(unpricedCalls(reopened, startMs)).isEqualTo(1);
        } finally {
            reopened.close();
        }
    }

    private static long unpricedCalls(ClickHouseEventStore store, long dayStartMs) {
        return store.query(new SqlBuilder().append("SELECT sum(unpriced_calls) AS n FROM ")
                .append(store.rollup(RollupRead.of(Rollups.CALLS_BY_AGENT,
                        "acme", dayStartMs - dayStartMs % 86_400_000L, dayStartMs - dayStartMs % 86_400_000L + 86_400_000L)))
                .append(" AS agent_calls").build()).get(0).longValue("n");
    }
}
