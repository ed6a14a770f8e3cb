package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.http.Json;
import dev.tally.testing.MutableClock;
import dev.tally.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} after a server has served every route: Prometheus' own {@code promtool check
 * metrics} finds no problem in it, every query of the shipped Grafana dashboard names a metric it
 * exports, the metrics token reads it without admin rights, and every answer carries a request id.
 */
class MetricsApiTest {
    private static final String METRICS_TOKEN = "scrape-token-7";
    private static TestServer server;
    private static String scrape;

    @BeforeAll
    static void serveEveryRoute() throws IOException {
        server = TestServer.start(ServerConfig.forTests(TestServer.ADMIN_TOKEN).withMetricsToken(METRICS_TOKEN),
                new MutableClock(Instant.parse("2026-03-15T12:00:00Z")));
        server.createTenant("acme", "Acme");
        server.send("PATCH", "/admin/tenants/acme", "{\"instructions\": \"Be kind\"}", "X-Admin-Token",
                TestServer.ADMIN_TOKEN);
        String writer = server.createKey("acme", "events:write");
        server.send("POST", "/v1/events", """
                [{"id": "c1", "type": "call", "time": "2026-03-10T09:00:00Z", "status": "completed",
                  "ended_at": "2026-03-10T09:02:00Z", "cost_usd": 0.03, "agent_id": "a1"},
                 {"id": "l1", "type": "llm", "time": "2026-03-10T09:01:00Z", "model": "gpt-4o", "provider": "openai",
                  "input_tokens": 100, "output_tokens": 10, "call_id": "c1"},
                 {"id": "bad", "type": "llm", "time": "yesterday", "model": "gpt-4o"}]""",
                "Authorization", "Bearer " + writer);
        ((dev.tally.store.duckdb.DuckDbEventStore) server.tally().events()).compactRollups();
        server.post("/v1/calls/admit", "{\"event_id\": \"a1\", \"call_id\": \"live-1\"}", "Authorization",
                "Bearer " + writer);
        server.send("POST", "/admin/budgets", "{\"tenant_id\": \"acme\", \"name\": \"month\", \"measure\": \"cost_usd\","
                + " \"period\": \"month\", \"limit\": 10}", "X-Admin-Token", TestServer.ADMIN_TOKEN);
        String reader = server.createKey("acme", "analytics:read", "export:read", "members:read");
        JsonNode document = Json.MAPPER.readTree(server.get("/openapi.json").body());
        Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            if (path.getValue().has("get")) {
                String concrete = path.getKey().replace("{workspace_id}", "acme").replace("{tenant_id}", "acme")
                        .replaceAll("\\{[a-z_]+}", "x");
                server.send("GET", concrete, null, "Authorization", "Bearer " + reader);
                server.send("GET", concrete, null, "X-Admin-Token", TestServer.ADMIN_TOKEN);
            }
        }
        // the budget monitor measures the new budget on its own thread: its gauges come with its first measurement
        long deadline = System.nanoTime() + 20_000_000_000L;
        HttpResponse<String> metrics;
        do {
            metrics = server.send("GET", "/metrics", null, "Authorization", "Bearer " + METRICS_TOKEN);
            assertThat(metrics.statusCode()).as(metrics.body()).isEqualTo(200);
        } while (!metrics.body().contains("tally_budget_limit{") && System.nanoTime() < deadline && pause());
        scrape = metrics.body();
    }

    private static boolean pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void promtoolFindsNoProblem(@TempDir Path directory) throws IOException, InterruptedException {
        dev.tally.testing.Promtool.assertNoProblem(scrape, directory);
    }

    @Test
    void everySubsystemIsThere() {
        assertThat(scrape).contains("tally_ingest_events_total{outcome=\"stored\"} 2.0",
                "tally_ingest_events_total{outcome=\"rejected\"} 1.0", "tally_ingest_rejected_total{field=\"time\"} 1.0",
                "tally_ingest_commit_seconds_bucket{", "tally_ingest_queue_depth_requests ",
                "tally_http_requests_seconds_bucket{", "route=\"/v1/events\"", "route=\"/v1/analytics/calls/{call_id}/cost\"",
                "tally_accepted_calls_total{tenant=\"acme\"} 1.0", "tally_active_calls{tenant=\"acme\"} 0.0",
                "tally_calls_processed_seconds_total{tenant=\"acme\"}", "tally_budget_limit{", "jvm_memory_used_bytes{",
                "jvm_threads_live_threads ", "tally_store_report_queries_seconds_bucket{",
                "tally_store_report_queries_seconds_count{outcome=\"ok\",store=\"duckdb\"}",
                "tally_store_rollup_work_seconds_count{kind=\"fold\",outcome=\"ok\",store=\"duckdb\"}",
                "tally_store_rollup_work_due{store=\"duckdb\"} ");
        assertThat(scrape).doesNotContain("route=\"/v1/analytics/calls/x/cost\"");
    }

    @Test
    void everyDashboardQueryNamesAnExportedMetric() throws IOException {
        JsonNode dashboard = Json.MAPPER.readTree(Path.of("ops/grafana/tally-dashboard.json").toFile());
        Set<String> exported = new TreeSet<>();
        Matcher sample = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]").matcher(scrape);
        while (sample.find()) {
            exported.add(sample.group(1));
        }
        List<String> named = new ArrayList<>();
        Pattern metric = Pattern.compile("\\b((?:tally|jvm|process)_[a-zA-Z0-9_]+)");
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher found = metric.matcher(target.path("expr").asText());
                while (found.find()) {
                    named.add(found.group(1));
                }
            }
        }
        assertThat(named).hasSizeGreaterThan(15);
        // this server stores in DuckDB: the ClickHouse round trips are checked on a ClickHouse server (ClickHouseMetersApiTest)
        assertThat(named).anyMatch(name -> name.startsWith("tally_clickhouse_"));
        assertThat(exported).containsAll(named.stream().filter(name -> !name.startsWith("tally_clickhouse_")).toList());
    }

    @Test
    void onlyTheMetricsTokenOrTheAdminTokenReadsIt() {
        assertThat(server.get("/metrics").statusCode()).isEqualTo(401);
        assertThat(server.send("GET", "/metrics", null, "Authorization", "Bearer not-it").statusCode()).isEqualTo(401);
        assertThat(server.send("GET", "/metrics", null, "X-Admin-Token", TestServer.ADMIN_TOKEN).statusCode())
                .isEqualTo(200);
    }

    @Test
    void everyAnswerCarriesARequestId() {
        HttpResponse<String> generated = server.get("/api/v1/health");
        assertThat(generated.headers().firstValue("X-Request-Id")).hasValueSatisfying(id -> assertThat(id)
                .matches("[0-9a-f-]{36}"));
        assertThat(server.send("GET", "/api/v1/health", null, "X-Request-Id", "trace-42").headers()
                .firstValue("X-Request-Id")).hasValue("trace-42");
        assertThat(server.send("GET", "/nowhere", null, "X-Request-Id", "bad id\"with quotes").headers()
                .firstValue("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f-]{36}"));
    }
}
