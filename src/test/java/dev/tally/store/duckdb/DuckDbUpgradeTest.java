package dev.tally.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.bench.EventGenerator;
import dev.tally.event.CostSource;
import dev.tally.event.Event;
import dev.tally.event.EventType;
import dev.tally.ingest.WriteOutcome;
import dev.tally.pricing.PriceEntry;
import dev.tally.pricing.PriceUnit;
import dev.tally.store.callcost.CallCostOrder;
import dev.tally.store.callcost.CallCostQuery;
import dev.tally.store.rollup.RollupFixture;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.SqlBuilder;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A data file written by the previous release (events without the columns of version 2, price
 * entries with token rates only and a required multiplier) is completed when it is opened: its
 * rows read as before, and events and prices of version 2 can be written into it.
 */
class DuckDbUpgradeTest {
    private static final List<String> ADDED_EVENT_COLUMNS = List.of("revision", "reported_total_cost_nanos",
            "carrier_segments", "quantity_micros", "unit");

    @Test
    void aPreviousReleasesFileGetsTheColumnsOfVersionTwo(@TempDir Path directory) throws Exception {
        try (DuckDbDatabase database = DuckDbDatabase.open(directory)) {
            DuckDbEventStore store = new DuckDbEventStore(database);
            assertThat(store.write(List.of(chat("old-chat")))).containsExactly(WriteOutcome.STORED);
            store.close();
            previousRelease(database);
        }

        try (DuckDbDatabase database = DuckDbDatabase.open(directory)) {
            DuckDbMetadataStore metadata = new DuckDbMetadataStore(database);
            assertThat(metadata.prices()).singleElement().satisfies(entry -> {
                assertThat(entry.unit()).isEqualTo(PriceUnit.TOKENS);
                assertThat(entry.creditMultiplier()).isEqualByComparingTo("0.5");
                assertThat(entry.perMinuteOutbound()).isNull();
            });
            PriceEntry london = PriceEntry.of("calls-uk", null, "twilio", "*", LocalDate.of(2026, 1, 1), "+44",
                    Map.of("per_minute_outbound", new BigDecimal("0.02"), "per_minute_inbound", new BigDecimal("0.01")));
            metadata.insertPrice(london);
            assertThat(metadata.prices()).filteredOn(entry -> entry.id().equals("calls-uk")).singleElement()
                    .satisfies(entry -> {
                        assertThat(entry.prefix()).isEqualTo("+44");
                        assertThat(entry.perMinuteOutbound()).isEqualByComparingTo("0.02");
                        assertThat(entry.perMinuteInbound()).isEqualByComparingTo("0.01");
                        assertThat(entry.creditMultiplier()).isNull();
                    });

            DuckDbEventStore store = new DuckDbEventStore(database);
            Event fee = chat("new-fee");
            fee.type = EventType.FEE;
            fee.kind = "platform";
            fee.costNanos = 50_000_000L;
            fee.costSource = CostSource.REPORTED;
            fee.revision = 3;
            fee.quantityMicros = 2_500_000L;
            fee.unit = "minute";
            assertThat(store.write(List.of(chat("old-chat"), fee)))
                    .containsExactly(WriteOutcome.DUPLICATE, WriteOutcome.STORED);
            List<Row> rows = store.query(new SqlBuilder().append("SELECT id, revision, quantity_micros, unit FROM events"
                    + " ORDER BY id").build());
            store.close();
            assertThat(rows).hasSize(2);
            assertThat(rows.get(0).string("id")).isEqualTo("new-fee");
            assertThat(rows.get(0).longValue("revision")).isEqualTo(3);
            assertThat(rows.get(0).longValue("quantity_micros")).isEqualTo(2_500_000L);
            assertThat(rows.get(0).string("unit")).isEqualTo("minute");
            assertThat(rows.get(1).string("id")).isEqualTo("old-chat");
            assertThat(rows.get(1).longValue("revision")).as("an old row's revision is the default").isZero();
        }
    }

    /**
     * Earlier releases kept the call-cost ready rows without the rows their lists name apart (a tenant's,
     * and until this one an agent's), or without the mismatched ones apart, and the oldest without their ranks by cost too: opened by this one, they
     * are ranked where they stand, those rows set apart, and the lists answer as the raw rows do.
     */
    @ParameterizedTest(name = "ranked before: {0}")
    @ValueSource(booleans = {true, false})
    void readyCallRowsOfEarlierReleasesAreRankedAndSetApartWhenOpened(boolean ranked, @TempDir Path directory)
            throws Exception {
        List<Event> batch = new EventGenerator(4, 3_000, 3_000, RollupFixture.END_MS, 5).batch(0);
        try (DuckDbDatabase database = DuckDbDatabase.open(directory)) {
            DuckDbEventStore store = new DuckDbEventStore(database);
            store.write(batch);
            store.compactRollups();
            store.close();
            try (var connection = database.newConnection(); Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE " + DuckDbCallCostRows.LIST_ROWS);
                statement.execute("DROP TABLE " + DuckDbCallCostRows.AGENT_LIST_ROWS);
                statement.execute("DROP TABLE " + DuckDbCallCostRows.MISMATCHED_ROWS);
                for (String column : ranked ? List.<String>of() : DuckDbCallCostRows.RANK_COLUMNS) {
                    statement.execute("ALTER TABLE " + DuckDbCallCostRows.CALL_ROWS + " DROP COLUMN " + column);
                }
            }
        }

        try (DuckDbDatabase database = DuckDbDatabase.open(directory)) {
            DuckDbEventStore store = new DuckDbEventStore(database);
            long end = RollupFixture.END_MS;
            String agent = batch.stream().filter(event -> event.type == dev.tally.event.EventType.CALL
                    && event.tenantId.equals(EventGenerator.TENANTS[0]) && event.agentId != null).findFirst()
                    .orElseThrow().agentId;
            for (CallCostOrder order : CallCostOrder.values()) {
                for (String agentId : java.util.Arrays.asList(null, agent)) {
                    CallCostQuery query = new CallCostQuery(EventGenerator.TENANTS[0], end - 7 * 86_400_000L, end,
                            agentId, 3, order);
                    assertThat(store.callCosts(query).calls()).as(order.name() + " " + agentId).hasSize(3)
                            .isEqualTo(store.withoutRollups().callCosts(query).calls());
                }
            }
            assertThat(store.checkRollups(false).total()).as("list rows, ranks and rows against a rebuild").isZero();
            store.close();
        }
    }

    /** What the previous release left: no columns of version 2, and its own price table with one entry. */
    private static void previousRelease(DuckDbDatabase database) throws Exception {
        try (var connection = database.newConnection(); Statement statement = connection.createStatement()) {
            for (String table : List.of("events", "calls")) {
                for (String column : ADDED_EVENT_COLUMNS) {
                    statement.execute("ALTER TABLE " + table + " DROP COLUMN " + column);
                }
            }
            statement.execute("DROP TABLE price_entries");
            statement.execute("""
                    CREATE TABLE price_entries (
                      id VARCHAR NOT NULL, tenant_id VARCHAR, provider VARCHAR NOT NULL, model VARCHAR NOT NULL,
                      effective_from DATE NOT NULL, input_per_million DECIMAL(18,6), cached_input_per_million DECIMAL(18,6),
                      cache_creation_per_million DECIMAL(18,6), output_per_million DECIMAL(18,6),
                      input_audio_per_million DECIMAL(18,6), output_audio_per_million DECIMAL(18,6),
                      credit_multiplier DECIMAL(18,6) NOT NULL, deleted BOOLEAN NOT NULL DEFAULT false)""");
            statement.execute("INSERT INTO price_entries (id, tenant_id, provider, model, effective_from,"
                    + " input_per_million, output_per_million, credit_multiplier)"
                    + " VALUES ('old', 'acme', 'openai', 'gpt-4o', DATE '2025-01-01', 2.5, 10, 0.5)");
        }
    }

    private static Event chat(String id) {
        Event event = new Event();
        event.tenantId = "acme";
        event.id = id;
        event.type = EventType.CHAT;
        event.timeMs = 1_773_446_400_000L;
        event.receivedMs = event.timeMs;
        return event;
    }
}
