package dev.tally.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.event.Event;
import dev.tally.ingest.WriteOutcome;
import dev.tally.testing.ClickHouseCluster;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A database written by the last release has events and calls but no id table, no marks and no
 * rollups. Opened by this one, its stored ids still turn duplicates away and its hours get rollups.
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
}
