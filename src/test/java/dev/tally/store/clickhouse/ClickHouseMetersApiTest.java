package dev.tally.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.app.ServerConfig;
import dev.tally.testing.ClickHouseCluster;
import dev.tally.testing.MutableClock;
import dev.tally.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server on the ClickHouse cluster measures its round trips, report queries and rollup
 * recomputations, every dashboard query about ClickHouse names a metric it exports, and promtool
 * finds nothing wrong with what it exports.
 */
class ClickHouseMetersApiTest {

    @Test
    void roundTripsReportQueriesAndRecomputationsAreMeasured(@TempDir Path directory) throws Exception {
        ServerConfig config = ServerConfig.forTests(TestServer.ADMIN_TOKEN)
                .withClickHouse(ClickHouseCluster.shared().newDatabase());
        try (TestServer server = TestServer.start(config, new MutableClock(Instant.parse("2026-03-31T12:00:00Z")))) {
            server.createTenant("acme", "Acme");
            server.send("POST", "/v1/events", """
                    [{"id": "l1", "type": "llm", "time": "2026-03-10T10:00:00Z", "provider": "openai", "model": "gpt-4o",
                      "input_tokens": 100, "output_tokens": 10}]""",
                    "Authorization", "Bearer " + server.createKey("acme", "events:write"));
            ((ClickHouseEventStore) server.tally().events()).recomputeRollups();
            HttpResponse<String> spend = server.getWithKey("/v1/analytics/spend?from=2026-03-01&to=2026-03-31",
                    server.createKey("acme", "analytics:read"));
            assertThat(spend.statusCode()).as(spend.body()).isEqualTo(200);
            String scrape = server.send("GET", "/metrics", null, "X-Admin-Token", TestServer.ADMIN_TOKEN).body();

            for (String kind : new String[] {"select", "insert"}) {
                assertThat(count(scrape, "tally_clickhouse_requests_seconds_count{kind=\"" + kind
                        + "\",outcome=\"ok\",store=\"clickhouse\"}")).as(kind).isPositive();
            }
            assertThat(count(scrape, "tally_store_report_queries_seconds_count{outcome=\"ok\",store=\"clickhouse\"}"))
                    .isPositive();
            assertThat(count(scrape, "tally_store_rollup_work_seconds_count{kind=\"recompute\",outcome=\"ok\","
                    + "store=\"clickhouse\"}")).as("the recomputation asked for, and any scheduled round").isGreaterThanOrEqualTo(1);

            String dashboard = Files.readString(Path.of("ops/grafana/tally-dashboard.json"));
            Matcher named = Pattern.compile("\\b(tally_clickhouse_[a-z_]+)").matcher(dashboard);
            int found = 0;
            while (named.find()) {
                found++;
                assertThat(scrape).as(named.group(1)).contains(named.group(1) + "{");
            }
            assertThat(found).isPositive();

            dev.tally.testing.Promtool.assertNoProblem(scrape, directory);
        }
    }

    private static double count(String scrape, String series) throws IOException {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError(series + " is not exported:\n" + scrape.lines()
                .filter(line -> line.startsWith("tally_clickhouse") || line.startsWith("tally_store")).toList());
    }
}
