package dev.tally.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.testing.MutableClock;
import dev.tally.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Deleting a tenant removes everything of it, on every store: its events and reports, keys,
 * secrets and budgets; the same ids sent again to a tenant of the same name are new events; the
 * other tenants keep every figure.
 */
class TenantDeletionApiTest {
    private static final String EVENTS = """
            [{"id": "l1", "type": "llm", "time": "2026-03-10T10:00:00Z", "provider": "openai", "model": "gpt-4o",
              "input_tokens": 1200, "output_tokens": 300, "agent_id": "a1", "call_id": "c1", "member_id": "m1"},
             {"id": "c1", "type": "call", "time": "2026-03-10T09:59:00Z", "status": "completed",
              "ended_at": "2026-03-10T10:03:00Z", "cost_usd": 0.03, "agent_id": "a1", "phone_number": "+14155550100"},
             {"id": "f1", "type": "fee", "time": "2026-03-10T10:04:00Z", "kind": "platform", "cost_usd": 0.2,
              "call_id": "c1"},
             {"id": "s1", "type": "sms", "time": "2026-03-13T10:00:00Z", "direction": "outbound",
              "phone_number": "+14155550100", "body": "hello", "cost_usd": 0.0079}]""";
    private static final List<String> REPORTS = List.of(
            "/v1/analytics/spend?from=2026-03-01&to=2026-03-31",
            "/v1/analytics/call-costs?from=2026-03-01&to=2026-03-31",
            "/v1/exports/events?from=2026-03-01&to=2026-03-31");
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(new MutableClock(Instant.parse("2026-03-31T12:00:00Z")));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> admin(String method, String path, String body) {
        return server.send(method, path, body, "X-Admin-Token", TestServer.ADMIN_TOKEN, "Content-Type", "application/json");
    }

    private static String answers(String key) {
        StringBuilder answers = new StringBuilder();
        for (String report : REPORTS) {
            HttpResponse<String> response = server.getWithKey(report, key);
            assertThat(response.statusCode()).as(report + " " + response.body()).isEqualTo(200);
            answers.append(report.startsWith("/v1/exports") ? String.join("\n", response.body().lines().sorted().toList())
                    : response.body()).append('\n');
        }
        return answers.toString();
    }

    @Test
    void aDeletedTenantLeavesNothingBehindAndTheOthersKeepEveryFigure() {
        for (String tenant : List.of("acme", "globex")) {
            server.createTenant(tenant, tenant);
            server.ingest(server.createKey(tenant, "events:write"), EVENTS);
            assertThat(admin("PUT", "/admin/tenants/" + tenant + "/integrations/vapi", "{\"secret\": \"s3cret\"}")
                    .statusCode()).isEqualTo(200);
            assertThat(admin("POST", "/admin/budgets", "{\"tenant_id\": \"" + tenant + "\", \"name\": \"b\","
                    + " \"measure\": \"cost_usd\", \"period\": \"month\", \"limit\": 10}").statusCode()).isEqualTo(201);
        }
        String acmeReader = server.createKey("acme", "analytics:read", "export:read");
        String globexReader = server.createKey("globex", "analytics:read", "export:read");
        String globexBefore = answers(globexReader);
        assertThat(answers(acmeReader)).isEqualTo(globexBefore.replace("globex", "acme"));

        assertField(admin("DELETE", "/admin/tenants/acme", "{}"), 400, "confirm");
        assertField(admin("DELETE", "/admin/tenants/acme", "{\"confirm\": \"globex\"}"), 400, "confirm");
        assertField(admin("DELETE", "/admin/tenants/initech", "{\"confirm\": \"initech\"}"), 404, "tenant_id");
        assertThat(server.send("DELETE", "/admin/tenants/acme", "{\"confirm\": \"acme\"}").statusCode())
                .as("without the admin token").isEqualTo(401);

        HttpResponse<String> deleted = admin("DELETE", "/admin/tenants/acme", "{\"confirm\": \"acme\"}");
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        JsonNode removed = TestServer.json(deleted).path("rows_removed");
        assertThat(removed.has("events")).as(deleted.body()).isTrue();
        assertThat(removed.has("budgets")).as(deleted.body()).isTrue();
        assertThat(removed.has("api_keys")).as(deleted.body()).isTrue();

        assertThat(server.getWithKey(REPORTS.get(0), acmeReader).statusCode()).as("its keys are gone").isEqualTo(401);
        assertThat(admin("GET", "/admin/tenants/acme", null).statusCode()).isEqualTo(404);
        assertThat(TestServer.json(admin("GET", "/admin/budgets?tenant_id=acme", null)).path("budgets")).isEmpty();
        assertThat(answers(globexReader)).as("the other tenant keeps every figure").isEqualTo(globexBefore);

        // a new tenant of the same name starts from nothing: the same ids are new events, not duplicates
        server.createTenant("acme", "Acme again");
        JsonNode secrets = TestServer.json(admin("GET", "/admin/tenants/acme/integrations", null));
        assertThat(secrets.path("integrations")).allSatisfy(item -> assertThat(item.path("set").asBoolean()).isFalse());
        String newReader = server.createKey("acme", "analytics:read", "export:read");
        assertThat(server.getWithKey(REPORTS.get(2), newReader).body()).isBlank();
        JsonNode again = server.ingest(server.createKey("acme", "events:write"), EVENTS);
        assertThat(again.path("accepted").asInt()).as(again.toString()).isEqualTo(4);
        assertThat(again.path("duplicates").asInt()).isZero();
        assertThat(answers(newReader)).isEqualTo(globexBefore.replace("globex", "acme"));
    }

    private static void assertField(HttpResponse<String> response, int status, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(TestServer.json(response).path("field").asText()).as(response.body()).isEqualTo(field);
    }
}
