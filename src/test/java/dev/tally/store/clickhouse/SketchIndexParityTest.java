package dev.tally.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.store.duckdb.DuckDbDatabase;
import dev.tally.store.duckdb.DuckDbEventStore;
import dev.tally.store.rollup.LatencySketch;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.Sql;
import dev.tally.testing.ClickHouseCluster;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A store without the latency rollup derives its rows in SQL, so the SQL bucket index must be the
 * one Java stores, on both engines, for every latency: every value up to 200,000 ms (each bucket
 * edge there) and a spread of larger ones up to 10^9 ms.
 */
class SketchIndexParityTest {
    private static final String INDEX = LatencySketch.indexSql("v");

    @Test
    void clickHouseAgreesWithJava() {
        ClickHouseHttp http = new ClickHouseHttp(ClickHouseCluster.shared().endpoints(), Map.of());
        assertAgrees(http.query("SELECT v, " + INDEX + " AS i FROM (SELECT toInt64(number) AS v FROM numbers(200001))"
                + " UNION ALL SELECT v, " + INDEX + " AS i FROM (SELECT toInt64(number * 4999 + 200000) AS v"
                + " FROM numbers(200000))"), 400_001);
    }

    @Test
    void duckDbAgreesWithJava() {
        try (DuckDbDatabase database = DuckDbDatabase.inMemory();
             DuckDbEventStore store = new DuckDbEventStore(database)) {
            assertAgrees(store.query(new Sql("SELECT v, " + INDEX + " AS i FROM (SELECT range AS v FROM range(0, 200001)"
                    + " UNION ALL SELECT range * 4999 + 200000 AS v FROM range(0, 200000)) AS latencies", List.of())),
                    400_001);
        }
    }

    private static void assertAgrees(List<Row> rows, int expectedRows) {
        assertThat(rows).hasSize(expectedRows);
        Map<Long, Long> wrong = new HashMap<>();
        for (Row row : rows) {
            long value = row.longValue("v");
            long index = (long) row.doubleOrNull("i").doubleValue();
            if (index != LatencySketch.index(value)) {
                wrong.put(value, index);
            }
        }
        assertThat(wrong).as("values whose SQL bucket differs from Java's").isEmpty();
    }
}
