package dev.tally.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.event.Event;
import dev.tally.ingest.WriteOutcome;
import dev.tally.store.rollup.MemberUsageRollup;
import dev.tally.testing.ChatEvents;
import dev.tally.testing.ClickHouseCluster;
import java.net.URI;
import java.time.Instant;
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
        // as the last release left it: only the raw tables hold rows
        ClickHouseHttp http = new ClickHouseHttp(config.endpoints(), Map.of());
        for (URI endpoint : config.endpoints()) {
            for (String table : List.of(ClickHouseSchema.EVENT_IDS, ClickHouseRollups.MARKS, ClickHouseRollups.HOURS)) {
                http.executeOn(endpoint, "TRUNCATE TABLE " + config.database() + "." + table + "_local");
            }
        }

        ClickHouseEventStore reopened = (ClickHouseEventStore) ClickHouseStore.open(config).events();
        try {
            assertThat(reopened.write(events)).containsOnly(WriteOutcome.DUPLICATE);
            assertThat(reopened.recomputeRollups()).as("both events' hours").isEqualTo(2);
        } finally {
            reopened.close();
        }
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
}
