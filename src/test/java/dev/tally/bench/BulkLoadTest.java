package dev.tally.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.event.Event;
import dev.tally.pricing.PriceBook;
import dev.tally.pricing.Pricer;
import dev.tally.pricing.catalog.DefaultPrices;
import dev.tally.store.duckdb.DuckDbDatabase;
import dev.tally.store.duckdb.DuckDbEventStore;
import dev.tally.store.rollup.Rollups;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.SqlBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's preload stores what ingest would: the same raw rows, one row per call, and the
 * same rollups (every table, member usage included), or its 100M figures would be about other data.
 */
class BulkLoadTest {
    private static final long END_MS = 1_773_532_800_000L;

    @Test
    void preloadedStoreEqualsOneWrittenThroughTheStore(@TempDir Path directory) throws Exception {
        EventGenerator generator = new EventGenerator(5, 12_000, 1_000, END_MS, 20);
        BulkLoad.load(generator, generator.batches(), directory.resolve("bulk"), directory.resolve("scratch"));

        PriceBook prices = DefaultPrices.book();
        try (DuckDbDatabase written = DuckDbDatabase.open(directory.resolve("written"))) {
            DuckDbEventStore store = new DuckDbEventStore(written);
            for (int batch = 0; batch < generator.batches(); batch++) {
                List<Event> events = generator.batch(batch);
                for (Event event : events) {
                    Pricer.price(event, prices);
                    event.receivedMs = event.timeMs;
                }
                store.write(events);
            }
            store.compactRollups();
            try (DuckDbDatabase bulk = DuckDbDatabase.open(directory.resolve("bulk"))) {
                DuckDbEventStore loaded = new DuckDbEventStore(bulk);
                for (String table : tables()) {
                    List<String> expected = rows(store, table);
                    assertThat(rows(loaded, table)).as(table).isEqualTo(expected);
                    assertThat(expected).as(table).isNotEmpty();
                }
                loaded.close();
            }
            store.close();
        }
    }

    private static List<String> tables() {
        List<String> tables = new ArrayList<>(List.of("events", "calls", "rollup_member_usage"));
        Rollups.ALL.forEach(table -> tables.add(table.name()));
        return tables;
    }

    /** Every row in a fixed order, with the rollups' groups summed so delta rows and folded rows compare equal. */
    private static List<String> rows(DuckDbEventStore store, String table) {
        String sql = table.startsWith("rollup_") ? grouped(table) : "SELECT * EXCLUDE (received_ms) FROM " + table
                + " ORDER BY ALL";
        return store.query(new SqlBuilder().append(sql).build()).stream().map(Row::toString).toList();
    }

    private static String grouped(String table) {
        if (table.equals("rollup_member_usage")) {
            return "SELECT tenant_id, day, member_id, sum(chats), sum(messages), sum(credits_micros) FROM " + table
                    + " GROUP BY ALL ORDER BY ALL";
        }
        var rollup = Rollups.ALL.stream().filter(candidate -> candidate.name().equals(table)).findFirst().orElseThrow();
        StringBuilder sql = new StringBuilder("SELECT tenant_id, " + rollup.grain().column());
        rollup.keys().forEach(key -> sql.append(", ").append(key.name()));
        rollup.measures().forEach(measure -> sql.append(", ").append(switch (measure.combine()) {
            case SUM -> "sum";
            case MIN -> "min";
            case MAX -> "max";
        }).append("(").append(measure.name()).append(")"));
        return sql.append(" FROM ").append(table).append(" GROUP BY ALL ORDER BY ALL").toString();
    }
}
