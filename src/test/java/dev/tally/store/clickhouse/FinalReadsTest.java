package dev.tally.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FinalReadsTest {

    @Test
    void readsOfEventsAndCallsSayFinal() {
        assertThat(FinalReads.apply("SELECT count(*) FROM events WHERE tenant_id = ?"))
                .isEqualTo("SELECT count(*) FROM events FINAL WHERE tenant_id = ?");
        assertThat(FinalReads.apply("SELECT a FROM (SELECT a FROM calls WHERE x) AS t"))
                .isEqualTo("SELECT a FROM (SELECT a FROM calls FINAL WHERE x) AS t");
        assertThat(FinalReads.apply("select 1 from events as e join events AS o USING (id)"))
                .isEqualTo("select 1 from events as e FINAL join events AS o FINAL USING (id)");
        assertThat(FinalReads.apply("SELECT 1 FROM events\nWHERE 1")).isEqualTo("SELECT 1 FROM events FINAL\nWHERE 1");
    }

    @Test
    void otherTablesAndAlreadyFinalReadsAreLeftAlone() {
        assertThat(FinalReads.apply("SELECT 1 FROM events_local")).isEqualTo("SELECT 1 FROM events_local");
        assertThat(FinalReads.apply("SELECT 1 FROM system.events")).isEqualTo("SELECT 1 FROM system.events");
        assertThat(FinalReads.apply("SELECT 1 FROM events AS e FINAL")).isEqualTo("SELECT 1 FROM events AS e FINAL");
        assertThat(FinalReads.apply("SELECT 1 FROM calls FINAL")).isEqualTo("SELECT 1 FROM calls FINAL");
        assertThat(FinalReads.apply("SELECT events FROM tenants")).isEqualTo("SELECT events FROM tenants");
    }
}
