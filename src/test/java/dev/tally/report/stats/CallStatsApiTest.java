package dev.tally.report.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code POST /calls/stats} over HTTP against a hand-built fixture. Prices: stats-model-a $1 / $2
 * per million input / output tokens, stats-model-b $3 / $4; no cached or cache-creation rate, so
 * those tokens are priced as input.
 *
 * <p>Tenant acme, 2026-03-14 (UTC), the main window 00:00–04:00:
 * <pre>
 * id  time          model  in    cached cache_new out   latency  error  op                trace parent thread turn user   run
 * e0  03-13 23:59:59.999 a 7777  (before the start: never counted)
 * e1  00:00:00      a      1000  200    50        500   1000     -      chat.completions  t1    -      th1    tu1  alice  r1
 * e2  00:20:00      a      3000  0      0         1500  2000     boom   chat.completions  t1    e1     th1    tu2  alice  r1
 * e3  00:40:00      b      2000  0      0         0     3000     -      embed             t2    -      th2    tu3  bob    r2
 * s1  01:00:00      an stt event: not an llm call, never counted
 * e4  02:05:00      a      100   0      0         100   (none)   -      chat.completions  t2    e3     th2    tu4  bob    r2
 * e5  02:50:00      b      0     0      0         0     4000     -      embed             t3    -      th3    tu5  carol  -
 * e6  04:00:00      a      999999 (at the exclusive end: never counted)
 * </pre>
 * Costs in nano-USD (input / output / total): e1 1,050,000 / 1,000,000 / 2,050,000;
 * e2 3,000,000 / 3,000,000 / 6,000,000; e3 6,000,000 / 0 / 6,000,000; e4 100,000 / 200,000 / 300,000; e5 0.
 *
 * <p>Tenant globex has events in the same window (g1 model a at 01:30, g2 model c at 00:10) that
 * must never show up in acme's answers.
 */
class CallStatsApiTest {
    private static final Instant NOW = Instant.parse("2026-03-15T12:00:00Z");
    private static final String MAIN_WINDOW = "\"start\": \"2026-03-14T00:00:00Z\", \"end\": \"2026-03-14T04:00:00Z\","
            + " \"granularity\": 3600";

    private static TestServer server;
    private static String acmeReader;
    private static String acmeWriterOnly;
    private static String globexReader;
    private static String platformAdmin;

    @BeforeAll
    static void fixture() {
        server = TestServer.start(Clock.fixed(NOW, ZoneOffset.UTC));
        server.createTenant("acme", "Acme");
        server.createTenant("globex", "Globex");
        price("stats-model-a", 1, 2);
        price("stats-model-b", 3, 4);
        price("stats-model-c", 5, 5);
        acmeReader = key("acme", "analytics:read");
        acmeWriterOnly = key("acme", "events:write");
        globexReader = key("globex", "analytics:read");
        platformAdmin = key(null, "analytics:read", "super-admin");
        String globexWriter = key("globex", "events:write");
        server.ingest(acmeWriterOnly, """
                [
                 {"id": "e0", "type": "llm", "time": "2026-03-13T23:59:59.999Z", "provider": "statsprov",
                  "model": "stats-model-a", "input_tokens": 7777, "ended_at": "2026-03-14T00:00:01Z"},
                 {"id": "e1", "type": "llm", "time": "2026-03-14T00:00:00Z", "provider": "statsprov",
                  "model": "stats-model-a", "input_tokens": 1000, "cached_input_tokens": 200,
                  "cache_creation_input_tokens": 50, "output_tokens": 500, "ended_at": "2026-03-14T00:00:01Z",
                  "op_name": "chat.completions", "trace_id": "t1", "thread_id": "th1", "turn_id": "tu1",
                  "user_email": "alice@example.com", "run_id": "r1"},
                 {"id": "e2", "type": "llm", "time": "2026-03-14T00:20:00Z", "provider": "statsprov",
                  "model": "stats-model-a", "input_tokens": 3000, "output_tokens": 1500,
                  "ended_at": "2026-03-14T00:20:02Z", "exception": "boom", "op_name": "chat.completions",
                  "trace_id": "t1", "parent_id": "e1", "thread_id": "th1", "turn_id": "tu2",
                  "user_email": "alice@example.com", "run_id": "r1"},
                 {"id": "e3", "type": "llm", "time": "2026-03-14T00:40:00Z", "provider": "statsprov",
                  "model": "stats-model-b", "input_tokens": 2000, "output_tokens": 0,
                  "ended_at": "2026-03-14T00:40:03Z", "op_name": "embed", "trace_id": "t2", "thread_id": "th2",
                  "turn_id": "tu3", "user_email": "bob@example.com", "run_id": "r2"},
                 {"id": "s1", "type": "stt", "time": "2026-03-14T01:00:00Z", "provider": "statsprov",
                  "model": "stats-model-c", "duration_seconds": 30},
                 {"id": "e4", "type": "llm", "time": "2026-03-14T02:05:00Z", "provider": "statsprov",
                  "model": "stats-model-a", "input_tokens": 100, "output_tokens": 100, "op_name": "chat.completions",
                  "trace_id": "t2", "parent_id": "e3", "thread_id": "th2", "turn_id": "tu4",
                  "user_email": "bob@example.com", "run_id": "r2"},
                 {"id": "e5", "type": "llm", "time": "2026-03-14T02:50:00Z", "provider": "statsprov",
                  "model": "stats-model-b", "input_tokens": 0, "output_tokens": 0,
                  "ended_at": "2026-03-14T02:50:04Z", "op_name": "embed", "trace_id": "t3", "thread_id": "th3",
                  "turn_id": "tu5", "user_email": "carol@example.com"},
                 {"id": "e6", "type": "llm", "time": "2026-03-14T04:00:00Z", "provider": "statsprov",
                  "model": "stats-model-a", "input_tokens": 999999, "ended_at": "2026-03-14T04:00:01Z"},

                 {"id": "p1", "type": "llm", "time": "2026-03-12T00:01:00Z", "provider": "statsprov",
                  "model": "stats-model-a", "ended_at": "2026-03-12T00:01:00.400Z"},
                 {"id": "p2", "type": "llm", "time": "2026-03-12T00:02:00Z", "provider": "statsprov",
                  "model": "stats-model-a", "ended_at": "2026-03-12T00:02:00.100Z"},
                 {"id": "p3", "type": "llm", "time": "2026-03-12T00:03:00Z", "provider": "statsprov",
                  "model": "stats-model-a", "ended_at": "2026-03-12T00:03:01Z"},
                 {"id": "p4", "type": "llm", "time": "2026-03-12T00:04:00Z", "provider": "statsprov",
                  "model": "stats-model-a", "ended_at": "2026-03-12T00:04:00.300Z"},
                 {"id": "p5", "type": "llm", "time": "2026-03-12T00:05:00Z", "provider": "statsprov",
                  "model": "stats-model-a", "ended_at": "2026-03-12T00:05:00.200Z"},
                 {"id": "p6", "type": "llm", "time": "2026-03-12T00:06:00Z", "provider": "statsprov",
                  "model": "stats-model-a"},

                 {"id": "d1", "type": "llm", "time": "2026-03-09T04:30:00Z", "provider": "statsprov",
                  "model": "stats-model-a"},
                 {"id": "d2", "type": "llm", "time": "2026-03-09T05:30:00Z", "provider": "statsprov",
                  "model": "stats-model-a"}
                ]""");
        server.ingest(globexWriter, """
                [
                 {"id": "g1", "type": "llm", "time": "2026-03-14T01:30:00Z", "provider": "statsprov",
                  "model": "stats-model-a", "input_tokens": 50000, "output_tokens": 50000,
                  "ended_at": "2026-03-14T01:30:05Z", "op_name": "chat.completions", "trace_id": "t1"},
                 {"id": "g2", "type": "llm", "time": "2026-03-14T00:10:00Z", "provider": "statsprov",
                  "model": "stats-model-c", "input_tokens": 10, "output_tokens": 10, "exception": "x"}
                ]""");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String key(String tenantId, String... scopes) {
        return server.createKey(tenantId, scopes);
    }

    private static void price(String model, int inputPerMillion, int outputPerMillion) {
        String body = "{\"provider\": \"statsprov\", \"model\": \"" + model + "\", \"effective_from\": \"2024-01-01\","
                + " \"input_per_million\": " + inputPerMillion + ", \"output_per_million\": " + outputPerMillion
                + ", \"credit_multiplier\": 1}";
        HttpResponse<String> response = server.post("/admin/prices", body, "X-Admin-Token", TestServer.ADMIN_TOKEN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private static String basic(String key) {
        return "Basic " + Base64.getEncoder().encodeToString(("api:" + key).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> stats(String key, String body) {
        return server.post("/calls/stats", body, "Authorization", basic(key), "Content-Type", "application/json");
    }

    private static JsonNode ok(String key, String body) {
        HttpResponse<String> response = stats(key, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestServer.json(response);
    }

    private static JsonNode json(String text) {
        try {
            return dev.tally.http.Json.MAPPER.readTree(text);
        } catch (java.io.IOException invalid) {
            throw new AssertionError(invalid);
        }
    }

    private static String detailOf400(String key, String body) {
        HttpResponse<String> response = stats(key, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        return TestServer.json(response).path("detail").asText();
    }

    private static List<Long> column(JsonNode buckets, String key) {
        List<Long> values = new ArrayList<>();
        buckets.forEach(bucket -> values.add(bucket.path(key).asLong()));
        return values;
    }

    @Test
    void everyUsageMetricAndAggregationPerBucketAndModel() {
        JsonNode answer = ok(acmeReader, "{\"project_id\": \"acme\", " + MAIN_WINDOW + ", \"usage_metrics\": ["
                + "{\"metric\": \"input_tokens\", \"aggregations\": [\"sum\", \"avg\", \"min\", \"max\", \"count\","
                + " \"count_true\", \"count_false\"]},"
                + "{\"metric\": \"output_tokens\", \"aggregations\": [\"sum\", \"count_false\"]},"
                + "{\"metric\": \"total_tokens\"},"
                + "{\"metric\": \"cache_read_input_tokens\", \"aggregations\": [\"sum\", \"count_true\", \"count_false\"]},"
                + "{\"metric\": \"cache_creation_input_tokens\", \"aggregations\": [\"sum\"]},"
                + "{\"metric\": \"input_cost\", \"aggregations\": [\"sum\"]},"
                + "{\"metric\": \"output_cost\", \"aggregations\": [\"sum\"]},"
                + "{\"metric\": \"total_cost\", \"aggregations\": [\"sum\", \"avg\", \"min\", \"max\"], \"percentiles\": [50]}"
                + "]}");
        String a = "\"model\": \"stats-model-a\", ";
        String b = "\"model\": \"stats-model-b\", ";
        String empty = "\"sum_input_tokens\": 0, \"avg_input_tokens\": null, \"min_input_tokens\": null,"
                + " \"max_input_tokens\": null, \"count_input_tokens\": 0, \"count_true_input_tokens\": 0,"
                + " \"count_false_input_tokens\": 0, \"sum_output_tokens\": 0, \"count_false_output_tokens\": 0,"
                + " \"sum_total_tokens\": 0, \"sum_cache_read_input_tokens\": 0,"
                + " \"count_true_cache_read_input_tokens\": 0, \"count_false_cache_read_input_tokens\": 0,"
                + " \"sum_cache_creation_input_tokens\": 0, \"sum_input_cost\": 0, \"sum_output_cost\": 0,"
                + " \"sum_total_cost\": 0, \"avg_total_cost\": null, \"min_total_cost\": null, \"max_total_cost\": null,"
                + " \"p50_total_cost\": null, \"count\": 0";
        JsonNode expected = json("""
                {"start": "2026-03-14T00:00:00Z", "end": "2026-03-14T04:00:00Z", "granularity": 3600,
                 "timezone": "UTC", "call_buckets": [], "usage_buckets": [
                  {"timestamp": "2026-03-14T00:00:00Z", %1$s
                   "sum_input_tokens": 4000, "avg_input_tokens": 2000.0, "min_input_tokens": 1000,
                   "max_input_tokens": 3000, "count_input_tokens": 2, "count_true_input_tokens": 2,
                   "count_false_input_tokens": 0, "sum_output_tokens": 2000, "count_false_output_tokens": 0,
                   "sum_total_tokens": 6000, "sum_cache_read_input_tokens": 200,
                   "count_true_cache_read_input_tokens": 1, "count_false_cache_read_input_tokens": 1,
                   "sum_cache_creation_input_tokens": 50, "sum_input_cost": 0.00405, "sum_output_cost": 0.004,
                   "sum_total_cost": 0.00805, "avg_total_cost": 0.004025, "min_total_cost": 0.00205,
                   "max_total_cost": 0.006, "p50_total_cost": 0.004025, "count": 2},
                  {"timestamp": "2026-03-14T00:00:00Z", %2$s
                   "sum_input_tokens": 2000, "avg_input_tokens": 2000.0, "min_input_tokens": 2000,
                   "max_input_tokens": 2000, "count_input_tokens": 1, "count_true_input_tokens": 1,
                   "count_false_input_tokens": 0, "sum_output_tokens": 0, "count_false_output_tokens": 1,
                   "sum_total_tokens": 2000, "sum_cache_read_input_tokens": 0,
                   "count_true_cache_read_input_tokens": 0, "count_false_cache_read_input_tokens": 1,
                   "sum_cache_creation_input_tokens": 0, "sum_input_cost": 0.006, "sum_output_cost": 0,
                   "sum_total_cost": 0.006, "avg_total_cost": 0.006, "min_total_cost": 0.006,
                   "max_total_cost": 0.006, "p50_total_cost": 0.006, "count": 1},
                  {"timestamp": "2026-03-14T01:00:00Z", %1$s %3$s},
                  {"timestamp": "2026-03-14T01:00:00Z", %2$s %3$s},
                  {"timestamp": "2026-03-14T02:00:00Z", %1$s
                   "sum_input_tokens": 100, "avg_input_tokens": 100.0, "min_input_tokens": 100,
                   "max_input_tokens": 100, "count_input_tokens": 1, "count_true_input_tokens": 1,
                   "count_false_input_tokens": 0, "sum_output_tokens": 100, "count_false_output_tokens": 0,
                   "sum_total_tokens": 200, "sum_cache_read_input_tokens": 0,
                   "count_true_cache_read_input_tokens": 0, "count_false_cache_read_input_tokens": 1,
                   "sum_cache_creation_input_tokens": 0, "sum_input_cost": 0.0001, "sum_output_cost": 0.0002,
                   "sum_total_cost": 0.0003, "avg_total_cost": 0.0003, "min_total_cost": 0.0003,
                   "max_total_cost": 0.0003, "p50_total_cost": 0.0003, "count": 1},
                  {"timestamp": "2026-03-14T02:00:00Z", %2$s
                   "sum_input_tokens": 0, "avg_input_tokens": 0.0, "min_input_tokens": 0,
                   "max_input_tokens": 0, "count_input_tokens": 1, "count_true_input_tokens": 0,
                   "count_false_input_tokens": 1, "sum_output_tokens": 0, "count_false_output_tokens": 1,
                   "sum_total_tokens": 0, "sum_cache_read_input_tokens": 0,
                   "count_true_cache_read_input_tokens": 0, "count_false_cache_read_input_tokens": 1,
                   "sum_cache_creation_input_tokens": 0, "sum_input_cost": 0, "sum_output_cost": 0,
                   "sum_total_cost": 0, "avg_total_cost": 0, "min_total_cost": 0,
                   "max_total_cost": 0, "p50_total_cost": 0, "count": 1},
                  {"timestamp": "2026-03-14T03:00:00Z", %1$s %3$s},
                  {"timestamp": "2026-03-14T03:00:00Z", %2$s %3$s}
                 ]}""".formatted(a, b, empty));
        assertThat(answer).isEqualTo(expected);
        // the keys come in the documented order: timestamp, model, the metrics as requested, count
        List<String> keys = new ArrayList<>();
        answer.path("usage_buckets").get(0).fieldNames().forEachRemaining(keys::add);
        assertThat(keys.subList(0, 3)).containsExactly("timestamp", "model", "sum_input_tokens");
        assertThat(keys.get(keys.size() - 1)).isEqualTo("count");
    }

    @Test
    void callMetricsPerBucketWithEmptyBucketsFilledIn() {
        JsonNode answer = ok(acmeReader, "{\"project_id\": \"acme\", " + MAIN_WINDOW + ", \"call_metrics\": ["
                + "{\"metric\": \"latency_ms\", \"aggregations\": [\"sum\", \"avg\", \"min\", \"max\", \"count\","
                + " \"count_true\", \"count_false\"]},"
                + "{\"metric\": \"call_count\"},"
                + "{\"metric\": \"error_count\", \"aggregations\": [\"sum\", \"count_true\", \"count_false\"]}]}");
        String empty = "\"sum_latency_ms\": 0, \"avg_latency_ms\": null, \"min_latency_ms\": null,"
                + " \"max_latency_ms\": null, \"count_latency_ms\": 0, \"count_true_latency_ms\": 0,"
                + " \"count_false_latency_ms\": 0, \"sum_call_count\": 0, \"sum_error_count\": 0,"
                + " \"count_true_error_count\": 0, \"count_false_error_count\": 0, \"count\": 0";
        // bucket 02: e4 has no ended_at, so its latency is left out of every latency aggregate
        JsonNode expected = json("""
                [
                 {"timestamp": "2026-03-14T00:00:00Z", "sum_latency_ms": 6000, "avg_latency_ms": 2000.0,
                  "min_latency_ms": 1000, "max_latency_ms": 3000, "count_latency_ms": 3,
                  "count_true_latency_ms": 3, "count_false_latency_ms": 0, "sum_call_count": 3,
                  "sum_error_count": 1, "count_true_error_count": 1, "count_false_error_count": 2, "count": 3},
                 {"timestamp": "2026-03-14T01:00:00Z", %1$s},
                 {"timestamp": "2026-03-14T02:00:00Z", "sum_latency_ms": 4000, "avg_latency_ms": 4000.0,
                  "min_latency_ms": 4000, "max_latency_ms": 4000, "count_latency_ms": 1,
                  "count_true_latency_ms": 1, "count_false_latency_ms": 0, "sum_call_count": 2,
                  "sum_error_count": 0, "count_true_error_count": 0, "count_false_error_count": 2, "count": 2},
                 {"timestamp": "2026-03-14T03:00:00Z", %1$s}
                ]""".formatted(empty));
        assertThat(answer.path("call_buckets")).isEqualTo(expected);
        assertThat(answer.path("usage_buckets").isArray()).isTrue();
        assertThat(answer.path("usage_buckets")).isEmpty();
    }

    @Test
    void percentilesInterpolateLikeQuantileCont() {
        // p1–p5 latencies sorted: 100, 200, 300, 400, 1000 ms; p6 has none and is left out.
        // quantile_cont at q: position (n − 1)·q = 4q between sorted values, linearly interpolated:
        // p0 → 100; p25.5 → 1.02 → 200 + 0.02·100 = 202; p50 → 2 → 300; p95 → 3.8 → 400 + 0.8·600 = 880;
        // p99.9 → 3.996 → 400 + 0.996·600 = 997.6; p100 → 1000
        JsonNode answer = ok(acmeReader, """
                {"project_id": "acme", "start": "2026-03-12T00:00:00Z", "end": "2026-03-12T01:00:00Z",
                 "granularity": 3600, "call_metrics": [{"metric": "latency_ms",
                 "percentiles": [0, 25.50, 50, 95, 99.9, 100]}]}""");
        JsonNode bucket = answer.path("call_buckets").get(0);
        assertThat(answer.path("call_buckets")).hasSize(1);
        assertThat(bucket.path("p0_latency_ms").asDouble()).isCloseTo(100, within(1e-9));
        assertThat(bucket.path("p25.5_latency_ms").asDouble()).isCloseTo(202, within(1e-9));
        assertThat(bucket.path("p50_latency_ms").asDouble()).isCloseTo(300, within(1e-9));
        assertThat(bucket.path("p95_latency_ms").asDouble()).isCloseTo(880, within(1e-9));
        assertThat(bucket.path("p99.9_latency_ms").asDouble()).isCloseTo(997.6, within(1e-9));
        assertThat(bucket.path("p100_latency_ms").asDouble()).isCloseTo(1000, within(1e-9));
        // percentiles only: no sum is added
        assertThat(bucket.has("sum_latency_ms")).isFalse();
        assertThat(bucket.path("count").asLong()).isEqualTo(6);
    }

    @Test
    void dailyBucketsInNewYorkStartAtLocalMidnightAcrossTheSpringForward() {
        // 2026-03-08 02:00 EST → 03:00 EDT, so the local day of the 8th is 23 hours long: its bucket
        // runs from 05:00Z to 04:00Z and the 9th's starts at 00:00 EDT = 04:00Z. d1 (04:30Z, 00:30 EDT
        // on the 9th) and d2 (05:30Z) are both in the 9th's bucket.
        JsonNode answer = ok(acmeReader, """
                {"project_id": "acme", "start": "2026-03-07T00:00:00-05:00", "end": "2026-03-10T00:00:00-04:00",
                 "granularity": 86400, "timezone": "America/New_York",
                 "call_metrics": [{"metric": "call_count"}]}""");
        assertThat(answer.path("start").asText()).isEqualTo("2026-03-07T05:00:00Z");
        assertThat(answer.path("end").asText()).isEqualTo("2026-03-10T04:00:00Z");
        assertThat(answer.path("timezone").asText()).isEqualTo("America/New_York");
        assertThat(answer.path("granularity").asLong()).isEqualTo(86400);
        assertThat(answer.path("call_buckets")).isEqualTo(json("""
                [{"timestamp": "2026-03-07T05:00:00Z", "sum_call_count": 0, "count": 0},
                 {"timestamp": "2026-03-08T05:00:00Z", "sum_call_count": 0, "count": 0},
                 {"timestamp": "2026-03-09T04:00:00Z", "sum_call_count": 2, "count": 2}]"""));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "\"op_names\": [\"embed\"]                                  | 1,0,1,0",
            "\"trace_ids\": [\"t1\"]                                    | 2,0,0,0",
            "\"call_ids\": [\"e2\", \"e4\"]                             | 1,0,1,0",
            "\"parent_ids\": [\"e1\"]                                   | 1,0,0,0",
            "\"thread_ids\": [\"th2\", \"th3\"]                         | 1,0,2,0",
            "\"turn_ids\": [\"tu5\"]                                    | 0,0,1,0",
            "\"trace_roots_only\": true                                 | 2,0,1,0",
            "\"trace_roots_only\": false                                | 3,0,2,0",
            "\"wb_user_ids\": [\"bob@example.com\"]                     | 1,0,1,0",
            "\"wb_run_ids\": [\"r1\"]                                   | 2,0,0,0",
            "\"op_names\": [\"chat.completions\"], \"wb_run_ids\": [\"r2\"] | 0,0,1,0",
            "\"op_names\": []                                           | 3,0,2,0",
            "\"input_refs\": [], \"output_refs\": [], \"unknown\": 1           | 3,0,2,0"})
    void filtersKeepOnlyMatchingCalls(String filter, String expectedCounts) {
        JsonNode answer = ok(acmeReader, "{\"project_id\": \"acme\", " + MAIN_WINDOW + ", \"filter\": {" + filter
                + "}, \"call_metrics\": [{\"metric\": \"call_count\"}]}");
        List<Long> expected = new ArrayList<>();
        for (String count : expectedCounts.split(",")) {
            expected.add(Long.parseLong(count));
        }
        assertThat(column(answer.path("call_buckets"), "sum_call_count")).isEqualTo(expected);
        assertThat(column(answer.path("call_buckets"), "count")).isEqualTo(expected);
    }

    @Test
    void aFilterThatMatchesNothingGivesZeroCallBucketsAndNoModels() {
        JsonNode answer = ok(acmeReader, "{\"project_id\": \"acme\", " + MAIN_WINDOW
                + ", \"filter\": {\"op_names\": [\"no-such-op\"]},"
                + " \"usage_metrics\": [{\"metric\": \"input_tokens\", \"aggregations\": [\"sum\", \"max\"]}],"
                + " \"call_metrics\": [{\"metric\": \"latency_ms\", \"aggregations\": [\"sum\", \"avg\"]}]}");
        // no model was seen in the filtered range, so there is no usage series at all
        assertThat(answer.path("usage_buckets")).isEmpty();
        assertThat(answer.path("call_buckets")).isEqualTo(json("""
                [{"timestamp": "2026-03-14T00:00:00Z", "sum_latency_ms": 0, "avg_latency_ms": null, "count": 0},
                 {"timestamp": "2026-03-14T01:00:00Z", "sum_latency_ms": 0, "avg_latency_ms": null, "count": 0},
                 {"timestamp": "2026-03-14T02:00:00Z", "sum_latency_ms": 0, "avg_latency_ms": null, "count": 0},
                 {"timestamp": "2026-03-14T03:00:00Z", "sum_latency_ms": 0, "avg_latency_ms": null, "count": 0}]"""));
    }

    @Test
    void aFilteredUsageSeriesHasOnlyTheModelsSeenAfterFiltering() {
        JsonNode answer = ok(acmeReader, "{\"project_id\": \"acme\", " + MAIN_WINDOW
                + ", \"filter\": {\"op_names\": [\"embed\"]}, \"usage_metrics\": [{\"metric\": \"input_tokens\"}]}");
        assertThat(answer.path("usage_buckets")).isEqualTo(json("""
                [{"timestamp": "2026-03-14T00:00:00Z", "model": "stats-model-b", "sum_input_tokens": 2000, "count": 1},
                 {"timestamp": "2026-03-14T01:00:00Z", "model": "stats-model-b", "sum_input_tokens": 0, "count": 0},
                 {"timestamp": "2026-03-14T02:00:00Z", "model": "stats-model-b", "sum_input_tokens": 0, "count": 1},
                 {"timestamp": "2026-03-14T03:00:00Z", "model": "stats-model-b", "sum_input_tokens": 0, "count": 0}]"""));
    }

    @Test
    void anotherTenantSeesOnlyItsOwnEvents() {
        JsonNode answer = ok(globexReader, "{\"project_id\": \"globex\", " + MAIN_WINDOW
                + ", \"usage_metrics\": [{\"metric\": \"input_tokens\"}],"
                + " \"call_metrics\": [{\"metric\": \"error_count\"}]}");
        assertThat(answer.path("usage_buckets")).isEqualTo(json("""
                [{"timestamp": "2026-03-14T00:00:00Z", "model": "stats-model-a", "sum_input_tokens": 0, "count": 0},
                 {"timestamp": "2026-03-14T00:00:00Z", "model": "stats-model-c", "sum_input_tokens": 10, "count": 1},
                 {"timestamp": "2026-03-14T01:00:00Z", "model": "stats-model-a", "sum_input_tokens": 50000, "count": 1},
                 {"timestamp": "2026-03-14T01:00:00Z", "model": "stats-model-c", "sum_input_tokens": 0, "count": 0},
                 {"timestamp": "2026-03-14T02:00:00Z", "model": "stats-model-a", "sum_input_tokens": 0, "count": 0},
                 {"timestamp": "2026-03-14T02:00:00Z", "model": "stats-model-c", "sum_input_tokens": 0, "count": 0},
                 {"timestamp": "2026-03-14T03:00:00Z", "model": "stats-model-a", "sum_input_tokens": 0, "count": 0},
                 {"timestamp": "2026-03-14T03:00:00Z", "model": "stats-model-c", "sum_input_tokens": 0, "count": 0}]"""));
        assertThat(column(answer.path("call_buckets"), "sum_error_count")).containsExactly(1L, 0L, 0L, 0L);
    }

    @Test
    void aSuperAdminPlatformKeyMayNameAnyExistingTenant() {
        String body = "{\"project_id\": \"globex\", " + MAIN_WINDOW + ", \"call_metrics\": [{\"metric\": \"call_count\"}]}";
        assertThat(column(ok(platformAdmin, body).path("call_buckets"), "sum_call_count")).containsExactly(1L, 1L, 0L, 0L);
        HttpResponse<String> missing = stats(platformAdmin, body.replace("globex", "no-such-tenant"));
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(TestServer.json(missing).path("detail").asText()).isEqualTo("project not found");
    }

    @Test
    void anotherTenantsProjectIsNotFound() {
        HttpResponse<String> response = stats(acmeReader, "{\"project_id\": \"globex\", " + MAIN_WINDOW
                + ", \"call_metrics\": [{\"metric\": \"call_count\"}]}");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(TestServer.json(response)).isEqualTo(json("{\"detail\": \"project not found\"}"));
    }

    @Test
    void missingCredentialsAre401InTheDetailShape() {
        HttpResponse<String> response = server.post("/calls/stats", "{\"project_id\": \"acme\", " + MAIN_WINDOW + "}",
                "Content-Type", "application/json");
        assertThat(response.statusCode()).isEqualTo(401);
        JsonNode body = TestServer.json(response);
        assertThat(body.path("detail").asText()).isNotBlank();
        assertThat(body.size()).isEqualTo(1);
    }

    @Test
    void aKeyWithoutAnalyticsReadIs403() {
        HttpResponse<String> response = stats(acmeWriterOnly, "{\"project_id\": \"acme\", " + MAIN_WINDOW + "}");
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(TestServer.json(response).path("detail").asText()).contains("analytics:read");
    }

    @Test
    void startIsInclusiveAndEndExclusiveEvenInsideABucket() {
        // buckets 00:00, 01:00, 02:00 hold the range 00:20–02:05: e1 (00:00) shares the first bucket but
        // is before the start, e2 (00:20) is at the start, e4 (02:05) is at the end
        JsonNode answer = ok(acmeReader, """
                {"project_id": "acme", "start": "2026-03-14T00:20:00Z", "end": "2026-03-14T02:05:00Z",
                 "granularity": 3600, "call_metrics": [{"metric": "call_count"}]}""");
        assertThat(answer.path("call_buckets")).isEqualTo(json("""
                [{"timestamp": "2026-03-14T00:00:00Z", "sum_call_count": 2, "count": 2},
                 {"timestamp": "2026-03-14T01:00:00Z", "sum_call_count": 0, "count": 0},
                 {"timestamp": "2026-03-14T02:00:00Z", "sum_call_count": 0, "count": 0}]"""));
    }

    @Test
    void exactlyThirtyOneDaysIsAllowedAndTenThousandBucketsCapTheGranularity() {
        // 2026-02-12 to 2026-03-15 is 31 days = 2,678,400 s; at 60 s that is 44,640 buckets, so the
        // granularity becomes floor(2678400 / 10000) + 1 = 268: ceil(2678400 / 268) = 9,995 buckets
        JsonNode answer = ok(acmeReader, """
                {"project_id": "acme", "start": "2026-02-12T00:00:00Z", "end": "2026-03-15T00:00:00Z",
                 "granularity": 60, "call_metrics": [{"metric": "call_count"}]}""");
        assertThat(answer.path("granularity").asLong()).isEqualTo(268);
        assertThat(answer.path("call_buckets")).hasSize(9_995);
        long calls = 0;
        for (JsonNode bucket : answer.path("call_buckets")) {
            calls += bucket.path("sum_call_count").asLong();
        }
        // e0–e6 (7), p1–p6 (6), d1–d2 (2); the stt event is not a call
        assertThat(calls).isEqualTo(15);
    }

    @ParameterizedTest(name = "{0} to {1} → {2} s")
    @CsvSource({
            "2026-03-14T00:00:00Z, 2026-03-14T02:00:00Z, 300, 24",
            "2026-03-14T00:00:00Z, 2026-03-14T04:00:00Z, 3600, 4",
            "2026-03-13T00:00:00Z, 2026-03-14T00:00:00Z, 21600, 4",
            "2026-03-07T00:00:00Z, 2026-03-14T00:00:00Z, 43200, 14",
            "2026-02-14T00:00:00Z, 2026-03-14T00:00:00Z, 86400, 28"})
    void granularityIsChosenByRangeWhenOmitted(String start, String end, long granularity, int buckets) {
        JsonNode answer = ok(acmeReader, "{\"project_id\": \"acme\", \"start\": \"" + start + "\", \"end\": \"" + end
                + "\", \"call_metrics\": [{\"metric\": \"call_count\"}]}");
        assertThat(answer.path("granularity").asLong()).isEqualTo(granularity);
        assertThat(answer.path("call_buckets")).hasSize(buckets);
    }

    @Test
    void endDefaultsToNowAndANaiveTimeIsUtc() {
        JsonNode answer = ok(acmeReader, """
                {"project_id": "acme", "start": "2026-03-15T10:00:00", "call_metrics": [{"metric": "call_count"}]}""");
        assertThat(answer.path("start").asText()).isEqualTo("2026-03-15T10:00:00Z");
        assertThat(answer.path("end").asText()).isEqualTo("2026-03-15T12:00:00Z");
        assertThat(answer.path("granularity").asLong()).isEqualTo(300);
        assertThat(answer.path("timezone").asText()).isEqualTo("UTC");
        assertThat(answer.path("call_buckets")).hasSize(24);
    }

    @Test
    void aRangeOverThirtyOneDaysIs400() {
        assertThat(detailOf400(acmeReader, """
                {"project_id": "acme", "start": "2026-02-12T00:00:00Z", "end": "2026-03-15T00:00:00.001Z"}"""))
                .startsWith("end: ");
    }

    @Test
    void anEndBeforeTheStartIs400() {
        assertThat(detailOf400(acmeReader, """
                {"project_id": "acme", "start": "2026-03-14T01:00:00Z", "end": "2026-03-14T00:59:59Z"}"""))
                .isEqualTo("end: must not be before start");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "101 | call_metrics[0].percentiles[0]: must be between 0 and 100, got 101",
            "-0.5 | call_metrics[0].percentiles[0]: must be between 0 and 100, got -0.5",
            "\"95\" | call_metrics[0].percentiles[0]: must be a number between 0 and 100"})
    void aPercentileOutsideZeroToHundredIs400(String percentile, String detail) {
        assertThat(detailOf400(acmeReader, "{\"project_id\": \"acme\", " + MAIN_WINDOW
                + ", \"call_metrics\": [{\"metric\": \"latency_ms\", \"percentiles\": [" + percentile + "]}]}"))
                .isEqualTo(detail);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"input_refs\": [\"ref-1\"]                            | filter.input_refs",
            "\"output_refs\": [\"ref-2\"]                           | filter.output_refs",
            "\"op_names\": [\"embed\"], \"output_refs\": [\"ref-2\"] | filter.output_refs"})
    void aFilterTallyCannotEvaluateIs400NamingItRatherThanMatchingEveryCall(String filter, String field) {
        String detail = detailOf400(acmeReader, "{\"project_id\": \"acme\", " + MAIN_WINDOW + ", \"filter\": {"
                + filter + "}, \"call_metrics\": [{\"metric\": \"call_count\"}]}");
        assertThat(detail).startsWith(field + ": is not supported");
    }

    @Test
    void anUnknownMetricIs400NamingIt() {
        assertThat(detailOf400(acmeReader, "{\"project_id\": \"acme\", " + MAIN_WINDOW
                + ", \"usage_metrics\": [{\"metric\": \"latency_ms\"}]}"))
                .startsWith("usage_metrics[0].metric: unknown metric latency_ms");
        assertThat(detailOf400(acmeReader, "{\"project_id\": \"acme\", " + MAIN_WINDOW
                + ", \"call_metrics\": [{\"metric\": \"call_count\"}, {\"metric\": \"tokens\"}]}"))
                .startsWith("call_metrics[1].metric: unknown metric tokens");
        assertThat(detailOf400(acmeReader, "{\"project_id\": \"acme\", " + MAIN_WINDOW
                + ", \"call_metrics\": [{\"metric\": \"call_count\", \"aggregations\": [\"median\"]}]}"))
                .startsWith("call_metrics[0].aggregations[0]: unknown aggregation median");
    }

    @Test
    void anUnknownTimezoneIs400() {
        assertThat(detailOf400(acmeReader, "{\"project_id\": \"acme\", " + MAIN_WINDOW
                + ", \"timezone\": \"Mars/Olympus_Mons\"}")).startsWith("timezone: unknown time zone");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"start\": \"2026-03-14T00:00:00Z\"} | project_id: is required",
            "{\"project_id\": \"acme\"} | start: is required",
            "{\"project_id\": \"acme\", \"start\": \"yesterday\"} | start: must be an ISO 8601 date-time like 2026-03-08T05:00:00Z",
            "{\"project_id\": \"acme\", \"start\": \"2026-03-14T00:00:00Z\", \"granularity\": 0} | granularity: must be a positive number of seconds, at most 2147483647",
            "{\"project_id\": \"acme\", \"start\": \"2026-03-14T00:00:00Z\", \"granularity\": 1.5} | granularity: must be a whole number of seconds",
            "{\"project_id\": \"acme\", \"start\": \"2026-03-14T00:00:00Z\", \"filter\": {\"trace_ids\": \"t1\"}} | filter.trace_ids: must be an array of strings",
            "[] | body: must be a JSON object"})
    void malformedBodiesAre400NamingTheField(String body, String detail) {
        assertThat(detailOf400(acmeReader, body)).isEqualTo(detail);
    }

    @Test
    void csvHasOneRowPerBucketUsageThenCalls() {
        String body = "{\"project_id\": \"acme\", " + MAIN_WINDOW + ", \"usage_metrics\": [{\"metric\": \"input_tokens\"},"
                + " {\"metric\": \"total_cost\", \"aggregations\": [\"sum\", \"avg\"]}],"
                + " \"call_metrics\": [{\"metric\": \"call_count\"}]}";
        String expected = String.join("\r\n",
                "kind,timestamp,model,sum_input_tokens,sum_total_cost,avg_total_cost,sum_call_count,count",
                "usage,2026-03-14T00:00:00Z,stats-model-a,4000,0.00805,0.004025,,2",
                "usage,2026-03-14T00:00:00Z,stats-model-b,2000,0.006,0.006,,1",
                "usage,2026-03-14T01:00:00Z,stats-model-a,0,0,,,0",
                "usage,2026-03-14T01:00:00Z,stats-model-b,0,0,,,0",
                "usage,2026-03-14T02:00:00Z,stats-model-a,100,0.0003,0.0003,,1",
                "usage,2026-03-14T02:00:00Z,stats-model-b,0,0,0,,1",
                "usage,2026-03-14T03:00:00Z,stats-model-a,0,0,,,0",
                "usage,2026-03-14T03:00:00Z,stats-model-b,0,0,,,0",
                "call,2026-03-14T00:00:00Z,,,,,3,3",
                "call,2026-03-14T01:00:00Z,,,,,0,0",
                "call,2026-03-14T02:00:00Z,,,,,2,2",
                "call,2026-03-14T03:00:00Z,,,,,0,0") + "\r\n";
        HttpResponse<String> byQuery = server.post("/calls/stats?format=csv", body, "Authorization", basic(acmeReader));
        assertThat(byQuery.statusCode()).as(byQuery.body()).isEqualTo(200);
        assertThat(byQuery.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(byQuery.body()).isEqualTo(expected);
        HttpResponse<String> byAccept = server.post("/calls/stats", body, "Authorization", basic(acmeReader),
                "Accept", "text/csv");
        assertThat(byAccept.body()).isEqualTo(expected);
    }
}
