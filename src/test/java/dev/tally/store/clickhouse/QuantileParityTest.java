package dev.tally.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.store.duckdb.DuckDbDatabase;
import dev.tally.store.duckdb.DuckDbDialect;
import dev.tally.store.sql.Row;
import dev.tally.testing.ClickHouseCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Percentiles must not depend on the store: the ClickHouse spelling interpolates exactly as
 * DuckDB's {@code quantile_cont}. Worked example: values 10, 20, 40, 80; p50 is h = 3 × 0.5 = 1.5,
 * 20 + 0.5 × (40 − 20) = 30; p90 is h = 2.7, 40 + 0.7 × 40 = 68; p0 = 10, p100 = 80.
 */
class QuantileParityTest {
    private static final double[] FRACTIONS = {0, 0.001, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1};

    @Test
    void handWorkedValues() {
        ClickHouseHttp http = new ClickHouseHttp(ClickHouseCluster.shared().endpoints(), Map.of());
        ClickHouseDialect dialect = new ClickHouseDialect();
        Row row = http.query("SELECT " + dialect.quantile("v", 0.5) + " AS p50, " + dialect.quantile("v", 0.9)
                + " AS p90, " + dialect.quantile("v", 0) + " AS p0, " + dialect.quantile("v", 1) + " AS p100"
                + " FROM (SELECT arrayJoin([toInt64(80), 10, 40, 20]) AS v)").get(0);

        assertThat(row.doubleOrNull("p50")).isEqualTo(30.0);
        assertThat(row.doubleOrNull("p90")).isEqualTo(68.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(row.doubleOrNull("p0")).isEqualTo(10.0);
        assertThat(row.doubleOrNull("p100")).isEqualTo(80.0);
    }

    @Test
    void nullsAreLeftOutAndNoValuesIsNull() {
        ClickHouseHttp http = new ClickHouseHttp(ClickHouseCluster.shared().endpoints(), Map.of());
        String p50 = new ClickHouseDialect().quantile("v", 0.5);

        assertThat(http.query("SELECT " + p50 + " AS p FROM (SELECT arrayJoin([toNullable(toInt64(1)), NULL, 3]) AS v)")
                .get(0).doubleOrNull("p")).isEqualTo(2.0);
        assertThat(http.query("SELECT " + p50 + " AS p FROM (SELECT arrayJoin([CAST(NULL AS Nullable(Int64))]) AS v)")
                .get(0).doubleOrNull("p")).isNull();
    }

    @Test
    void everyFractionEqualsDuckDbOnTheSameValues() {
        List<Long> values = new ArrayList<>();
        long seed = 17;
        for (int index = 0; index < 1_001; index++) {
            seed = seed * 6364136223846793005L + 1442695040888963407L;
            values.add(Math.floorMod(seed >>> 20, 5_000_000L) - 1_000_000L);
        }
        ClickHouseHttp http = new ClickHouseHttp(ClickHouseCluster.shared().endpoints(), Map.of());
        DuckDbDatabase duck = DuckDbDatabase.inMemory();
        try {
            for (int size : new int[] {1, 2, 7, 100, 1_001}) {
                List<Long> sample = values.subList(0, size);
                String list = sample.toString().substring(1, sample.toString().length() - 1);
                for (double fraction : FRACTIONS) {
                    Double clickHouse = http.query("SELECT " + new ClickHouseDialect().quantile("v", fraction)
                            + " AS p FROM (SELECT arrayJoin(arrayMap(x -> toInt64(x), [" + list + "])) AS v)")
                            .get(0).doubleOrNull("p");
                    Double duckDb = duck.read(connection -> {
                        try (var statement = connection.createStatement();
                             var result = statement.executeQuery("SELECT " + new DuckDbDialect().quantile("v", fraction)
                                     + " AS p FROM (SELECT unnest([" + list + "]::BIGINT[]) AS v)")) {
                            result.next();
                            return result.getDouble(1);
                        }
                    });
                    assertThat(clickHouse).as("p%s of %d values", fraction, size).isEqualTo(duckDb);
                }
            }
        } finally {
            duck.close();
        }
    }
}
