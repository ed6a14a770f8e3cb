package dev.tally.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.app.ServerConfig;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.Sql;
import dev.tally.testing.MutableClock;
import dev.tally.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The call control and live metrics endpoints over HTTP, with the default in-process state. */
class LiveApiTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-15T12:00:00Z"));
    private TestServer server;
    private String gateway;

    @BeforeEach
    void setUp() {
        server = TestServer.start(ServerConfig.forTests(TestServer.ADMIN_TOKEN).withMaxCallSeconds(60)
                .withMaxConcurrentCalls(10), clock);
        server.createTenant("acme", "Acme");
        assertThat(server.send("PATCH", "/admin/tenants/acme", "{\"instructions\": \"Be kind\"}",
                "X-Admin-Token", TestServer.ADMIN_TOKEN).statusCode()).isEqualTo(200);
        gateway = server.createKey("acme", new String[] {"events:write"});
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void aCallGoesFromAdmissionToEndAndReachesTheCallsTable() {
        HttpResponse<String> admitted = call("/v1/calls/admit",
                "{\"event_id\":\"e1\",\"call_id\":\"c1\",\"agent_id\":\"a1\",\"direction\":\"inbound\","
                        + "\"phone_number\":\"+14155550100\"}");
        assertThat(admitted.statusCode()).as(admitted.body()).isEqualTo(200);
        assertThat(admitted.body()).isEqualTo("{\"call_id\":\"c1\",\"decision\":\"accepted\","
                + "\"instructions\":\"Be kind\",\"instructions_source\":\"tenant\"}");
        assertThat(callRow()).containsExactly("in_progress", "a1", "inbound", "+14155550100", null);
        clock.advance(Duration.ofSeconds(5));
        assertThat(call("/v1/calls/c1/start", "{\"event_id\":\"s1\"}").body())
                .isEqualTo("{\"call_id\":\"c1\",\"status\":\"in_progress\",\"started_at\":\"2026-03-15T12:00:05Z\"}");
        clock.advance(Duration.ofSeconds(45));

        JsonNode live = TestServer.json(admin("/api/v1/metrics/live"));
        List<String> fields = new ArrayList<>();
        live.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("active_calls", "accepted_calls", "rejected_calls_capacity",
                "rejected_calls_tenant_not_configured", "rejected_calls_instructions_missing",
                "rejected_calls_budget_exhausted", "instructions_db_errors",
                "fallback_instructions_used", "started_calls", "ended_calls", "failed_calls", "referred_calls",
                "minutes_processed");
        assertThat(live.path("active_calls").asLong()).isEqualTo(1);
        assertThat(live.path("minutes_processed").decimalValue()).isEqualByComparingTo("0.75"); // 45 s live
        JsonNode calls = TestServer.json(admin("/api/v1/calls")).path("calls");
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).path("status").asText()).isEqualTo("active");
        assertThat(calls.get(0).path("seconds_held").asLong()).isEqualTo(50);

        HttpResponse<String> ended = call("/v1/calls/c1/end", "{\"event_id\":\"x1\",\"outcome\":\"referred\"}");
        assertThat(ended.body()).isEqualTo("{\"call_id\":\"c1\",\"status\":\"completed\",\"outcome\":\"referred\","
                + "\"end_reason\":\"referred\",\"ended_at\":\"2026-03-15T12:00:50Z\",\"duration_seconds\":45.0}");
        assertThat(callRow()).containsExactly("completed", "a1", "inbound", "+14155550100", "referred");
        assertThat(TestServer.json(admin("/api/v1/metrics/live/acme")).path("referred_calls").asLong()).isEqualTo(1);

        String prometheus = admin("/metrics").body();
        assertThat(prometheus).contains("# TYPE tally_accepted_calls_total counter\ntally_accepted_calls_total{tenant=\"acme\"} 1.0\n",
                "# TYPE tally_active_calls gauge\ntally_active_calls{tenant=\"acme\"} 0.0\n",
                "tally_referred_calls_total{tenant=\"acme\"} 1.0\n", "tally_calls_processed_seconds_total{tenant=\"acme\"} 45.0\n");
    }

    @Test
    void theReaperEndpointEndsAbandonedCallsAfterMaxCallSeconds() {
        call("/v1/calls/admit", "{\"event_id\":\"e1\",\"call_id\":\"c1\"}");
        clock.advance(Duration.ofSeconds(61));
        assertThat(TestServer.json(server.send("POST", "/api/v1/calls/reap", null, "X-Admin-Token",
                TestServer.ADMIN_TOKEN)).path("reaped").asInt()).isEqualTo(1);
        JsonNode capacity = TestServer.json(admin("/api/v1/metrics/capacity/debug"));
        assertThat(capacity.path("global").path("held_slots").asLong()).isZero();
        assertThat(capacity.path("global").path("max_concurrent_calls").asInt()).isEqualTo(10);
        assertThat(capacity.path("tenants").get(0).path("tenant_id").asText()).isEqualTo("acme");
        assertThat(callRow()).containsExactly("failed", null, null, null, "max_call_seconds");
    }

    @Test
    void badInputAndMissingCredentialsAreRefusedWithoutADecision() {
        assertThat(call("/v1/calls/admit", "{\"event_id\":\"e1\",\"call_id\":\"c1\",\"direction\":\"sideways\"}")
                .body()).contains("\"field\":\"direction\"");
        assertThat(call("/v1/calls/admit", "{\"call_id\":\"c1\"}").statusCode()).isEqualTo(400);
        assertThat(call("/v1/calls/c9/end", "{\"event_id\":\"x\",\"outcome\":\"lost\"}").body())
                .contains("\"field\":\"outcome\"");
        assertThat(call("/v1/calls/c9/start", "{\"event_id\":\"s\"}").statusCode()).isEqualTo(404);
        assertThat(server.post("/v1/calls/admit", "{\"event_id\":\"e1\",\"call_id\":\"c1\"}").statusCode()).isEqualTo(401);
        String reader = server.createKey("acme", new String[] {"analytics:read"});
        assertThat(server.post("/v1/calls/admit", "{\"event_id\":\"e1\",\"call_id\":\"c1\"}",
                "Authorization", "Bearer " + reader).statusCode()).isEqualTo(403);
        assertThat(server.get("/api/v1/metrics/live").statusCode()).isEqualTo(401);
        assertThat(server.get("/metrics").statusCode()).isEqualTo(401);
        assertThat(admin("/api/v1/metrics/live/nobody").statusCode()).isEqualTo(404);
        assertThat(TestServer.json(admin("/api/v1/metrics/live")).path("accepted_calls").asLong()).isZero();
    }

    private HttpResponse<String> call(String path, String body) {
        return server.post(path, body, "Authorization", "Bearer " + gateway);
    }

    private HttpResponse<String> admin(String path) {
        return server.get(path, "X-Admin-Token", TestServer.ADMIN_TOKEN);
    }

    private List<String> callRow() {
        List<Row> rows = server.tally().events().query(new Sql(
                "SELECT status, agent_id, direction, phone_number, end_reason FROM calls WHERE tenant_id = ? AND id = ?",
                List.of("acme", "c1")));
        assertThat(rows).hasSize(1);
        Row row = rows.get(0);
        List<String> values = new ArrayList<>();
        for (String column : List.of("status", "agent_id", "direction", "phone_number", "end_reason")) {
            values.add(row.string(column));
        }
        return values;
    }
}
