package dev.tally.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.app.ServerConfig;
import dev.tally.store.duckdb.DuckDbEventStore;
import dev.tally.store.duckdb.WriteFaults;
import dev.tally.store.duckdb.WriteStep;
import dev.tally.store.sql.Sql;
import dev.tally.tenant.Erasure;
import dev.tally.tenant.ErasureState;
import dev.tally.tenant.ErasureSubject;
import dev.tally.testing.MutableClock;
import dev.tally.testing.RedisServer;
import dev.tally.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Erasure on the embedded store under faults and restarts, and in live state: a failure at any
 * table leaves every row as it was and the subject not erased; erased subjects and interrupted
 * jobs survive a restart; calls holding a slot, in memory or in Redis, take the pseudonym too.
 */
class ErasureFaultsTest {
    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-31T12:00:00Z"));
    private static final String EVENTS = """
            [{"id": "call-7001", "type": "call", "time": "2026-03-10T09:59:00Z", "status": "completed",
              "ended_at": "2026-03-10T10:03:00Z", "cost_usd": 0.03, "agent_id": "a1", "phone_number": "+14155550100",
              "member_id": "member-41", "attributes": {"campaign": "spring"}},
             {"id": "l1", "type": "llm", "time": "2026-03-10T10:00:00Z", "provider": "openai", "model": "gpt-4o",
              "input_tokens": 1200, "output_tokens": 300, "call_id": "call-7001", "member_id": "member-41"},
             {"id": "f1", "type": "fee", "time": "2026-03-10T10:04:00Z", "kind": "platform", "cost_usd": 0.2,
              "call_id": "call-7001"},
             {"id": "s1", "type": "sms", "time": "2026-03-13T10:00:00Z", "direction": "outbound",
              "phone_number": "+14155550100", "body": "hello", "cost_usd": 0.0079, "member_id": "member-41"}]""";
    private static final List<String> REPORTS = List.of("/v1/analytics/spend?from=2026-03-01&to=2026-03-31",
            "/v1/analytics/call-costs?from=2026-03-01&to=2026-03-31",
            "/api/v2/w/acme/reports/phone-usage?start_date=2026-03-01&end_date=2026-03-31",
            "/api/v2/w/acme/reports/sms-usage?start_date=2026-03-01&end_date=2026-03-31",
            "/api/v2/w/acme/reports/ai-usage?start_date=2026-03-01&end_date=2026-03-31");

    @TempDir
    Path data;

    private static HttpResponse<String> admin(TestServer server, String method, String path, String body) {
        return server.send(method, path, body, "X-Admin-Token", TestServer.ADMIN_TOKEN, "Content-Type", "application/json");
    }

    private static String reader(TestServer server) {
        server.createTenant("acme", "acme");
        server.ingest(server.createKey("acme", "events:write"), EVENTS);
        return server.createKey("acme", "analytics:read");
    }

    private static String answers(TestServer server, String key) {
        StringBuilder answers = new StringBuilder();
        for (String report : REPORTS) {
            HttpResponse<String> response = server.getWithKey(report, key);
            assertThat(response.statusCode()).as(report + " " + response.body()).isEqualTo(200);
            answers.append(response.body()).append('\n');
        }
        return answers.toString();
    }

    private static long rowsNaming(TestServer server, String column, String value) {
        return ((Number) server.tally().events().query(new Sql("SELECT (SELECT count(*) FROM events WHERE " + column
                + " = ?) + (SELECT count(*) FROM calls WHERE " + column + " = ?) AS n", List.of(value, value)))
                .get(0).get("n")).longValue();
    }

    static JsonNode awaitEnd(TestServer server, String body) throws InterruptedException {
        HttpResponse<String> started = admin(server, "POST", "/admin/erasures", body);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        JsonNode job = TestServer.json(started);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (job.path("state").asText().equals("running") && System.nanoTime() < deadline) {
            Thread.sleep(50);
            job = TestServer.json(admin(server, "GET", "/admin/erasures/" + job.path("id").asText(), null));
        }
        return job;
    }

    @Test
    void aFailureAtAnyTableLeavesEveryRowAsItWasAndTheRetryErases() throws InterruptedException {
        try (TestServer server = TestServer.start(CLOCK)) {
            String key = reader(server);
            String before = answers(server, key);
            DuckDbEventStore store = (DuckDbEventStore) server.tally().events();
            for (int failAt = 1; failAt <= 3; failAt++) {
                AtomicInteger reached = new AtomicInteger();
                int failing = failAt;
                store.injectFaults(new WriteFaults() {
                    @Override
                    public void reached(WriteStep step) throws SQLException {
                        if (step == WriteStep.ERASURE_TABLE_REWRITTEN && reached.incrementAndGet() == failing) {
                            throw new SQLException("injected at table " + failing);
                        }
                    }
                });
                JsonNode failed = awaitEnd(server, "{\"tenant_id\": \"acme\", \"phone_number\": \"+14155550100\"}");
                assertThat(failed.path("state").asText()).as(failed.toString()).isEqualTo("failed");
                assertThat(failed.path("failure").asText()).startsWith("nothing was erased").doesNotContain("+1415");
                assertThat(answers(server, key)).isEqualTo(before);
                assertThat(rowsNaming(server, "phone_number", "+14155550100")).isEqualTo(2);
            }
            store.injectFaults(WriteFaults.NONE);
            // the failed jobs left the subject unerased: a redelivery is still a duplicate under the number
            server.ingest(server.createKey("acme", "events:write"), EVENTS);
            assertThat(answers(server, key)).isEqualTo(before);

            JsonNode done = awaitEnd(server, "{\"tenant_id\": \"acme\", \"phone_number\": \"+14155550100\"}");
            assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("done");
            assertThat(rowsNaming(server, "phone_number", "+14155550100")).isZero();
            assertThat(answers(server, key)).isEqualTo(before.replace("+14155550100", done.path("pseudonym").asText()));
            // on the writer's thread: the check uses the writer's connection
            assertThat(server.tally().writer().exclusive(() -> store.checkRollups(false)).total())
                    .as("rollups recomputed from the raw rows").isZero();
            assertThat(TestServer.json(admin(server, "GET", "/admin/erasures", null)).path("erasures")).hasSize(4);
        }
    }

    @Test
    void erasedSubjectsAndInterruptedJobsSurviveARestart() throws InterruptedException {
        String key;
        String before;
        String pseudonym;
        try (TestServer server = TestServer.start(CLOCK, data)) {
            key = reader(server);
            before = answers(server, key);
            JsonNode done = awaitEnd(server, "{\"tenant_id\": \"acme\", \"call_id\": \"call-7001\"}");
            assertThat(done.path("state").asText()).isEqualTo("done");
            pseudonym = done.path("pseudonym").asText();
            // a job the next stop interrupts: the store never took it
            server.tally().metadata().putErasure(new Erasure("era_interrupted", "acme", ErasureSubject.MEMBER_ID,
                    "erased-00000000000000000000", "admin", null, CLOCK.millis(), ErasureState.RUNNING, null, Map.of(),
                    null));
        }
        try (TestServer server = TestServer.start(CLOCK, data)) {
            server.ingest(server.createKey("acme", "events:write"), EVENTS);
            assertThat(answers(server, key)).isEqualTo(before.replace("call-7001", pseudonym));
            assertThat(rowsNaming(server, "call_id", "call-7001") + rowsNaming(server, "id", "call-7001")).isZero();
            JsonNode interrupted = TestServer.json(admin(server, "GET", "/admin/erasures/era_interrupted", null));
            assertThat(interrupted.path("state").asText()).isEqualTo("failed");
            assertThat(interrupted.path("failure").asText()).contains("nothing was erased");
        }
    }

    @Test
    void aMembersBudgetFollowsThePseudonym() throws InterruptedException {
        try (TestServer server = TestServer.start(CLOCK)) {
            reader(server);
            HttpResponse<String> created = admin(server, "POST", "/admin/budgets", "{\"tenant_id\": \"acme\","
                    + " \"name\": \"member\", \"measure\": \"cost_usd\", \"period\": \"month\", \"limit\": 10,"
                    + " \"scope\": {\"member_id\": \"member-41\"}}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            JsonNode done = awaitEnd(server, "{\"tenant_id\": \"acme\", \"member_id\": \"member-41\"}");
            assertThat(done.path("rows").path("budgets").asInt()).isEqualTo(1);
            String budget = admin(server, "GET", "/admin/budgets/" + TestServer.json(created).path("id").asText(), null)
                    .body();
            assertThat(budget).doesNotContain("member-41").contains(done.path("pseudonym").asText());
        }
    }

    @Test
    void aLiveCallTakesThePseudonymInMemoryAndInRedis() throws InterruptedException {
        try (RedisServer redis = RedisServer.start()) {
            for (ServerConfig config : List.of(ServerConfig.forTests(TestServer.ADMIN_TOKEN),
                    ServerConfig.forTests(TestServer.ADMIN_TOKEN).withRedisUrl(redis.url()))) {
                try (TestServer server = TestServer.start(config, CLOCK)) {
                    server.createTenant("acme", "acme");
                    assertThat(admin(server, "PATCH", "/admin/tenants/acme", "{\"instructions\": \"Be kind\"}")
                            .statusCode()).isEqualTo(200);
                    String gateway = server.createKey("acme", "events:write");
                    for (String call : List.of("live-1", "live-2")) {
                        HttpResponse<String> admitted = server.post("/v1/calls/admit", "{\"event_id\": \"a-" + call
                                + "\", \"call_id\": \"" + call + "\", \"phone_number\": \"+14155550100\"}",
                                "Authorization", "Bearer " + gateway);
                        assertThat(admitted.body()).contains("accepted");
                    }
                    HttpResponse<String> refused = admin(server, "POST", "/admin/erasures",
                            "{\"tenant_id\": \"acme\", \"call_id\": \"live-1\"}");
                    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
                    assertThat(refused.body()).contains("\"call_id\"");
                    JsonNode done = awaitEnd(server, "{\"tenant_id\": \"acme\", \"phone_number\": \"+14155550100\"}");
                    assertThat(done.path("rows").path("live_state").asInt()).as(done.toString()).isEqualTo(2);
                    String calls = admin(server, "GET", "/api/v1/calls", null).body();
                    assertThat(calls).doesNotContain("+14155550100").contains(done.path("pseudonym").asText());
                    HttpResponse<String> ended = server.post("/v1/calls/live-1/end", "{\"event_id\": \"e-live-1\","
                            + " \"outcome\": \"completed\"}", "Authorization", "Bearer " + gateway);
                    assertThat(ended.statusCode()).as(ended.body()).isEqualTo(200);
                    server.settleWrites();
                    assertThat(rowsNaming(server, "phone_number", "+14155550100")).isZero();
                    // both calls' rows as admitted, live-1's replaced by its end
                    assertThat(rowsNaming(server, "phone_number", done.path("pseudonym").asText())).isEqualTo(2);
                    assertThat(done.path("rows").path("calls").asInt()).isEqualTo(2);
                }
                redis.flushAll();
            }
        }
    }
}
