package dev.tally.budget;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.testing.MutableClock;
import dev.tally.testing.TestServer;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Budgets through a real server: defined by the operator or a tenant's own key, each bad field a
 * 400 naming it, and where each stands against the events stored in its period.
 */
class BudgetApiTest {
    /** 23:30 UTC on the last day of March: still March in UTC, already April's eve in New York (19:30). */
    private static final Instant NOW = Instant.parse("2026-03-31T23:30:00Z");
    private static TestServer server;
    private static String acmeWriter;
    private static String acmeBudgets;
    private static String acmeReader;
    private static String globexBudgets;

    @BeforeAll
    static void start() {
        server = TestServer.start(new MutableClock(NOW));
        server.createTenant("acme", "Acme");
        server.createTenant("globex", "Globex");
        acmeWriter = server.createKey("acme", "events:write");
        acmeBudgets = server.createKey("acme", "budgets:write");
        acmeReader = server.createKey("acme", "analytics:read");
        globexBudgets = server.createKey("globex", "budgets:write");
        // March: 2.50 of fees for agent-a (0.50 of them by member m1, 1.25 with team=red), a 0.75 call for agent-b
        server.ingest(acmeWriter, """
                [{"id": "f1", "type": "fee", "time": "2026-03-02T10:00:00Z", "kind": "platform", "cost_usd": 1.25,
                  "agent_id": "agent-a", "attributes": {"team": "red"}},
                 {"id": "f2", "type": "fee", "time": "2026-03-31T22:00:00Z", "kind": "other", "cost_usd": 0.75,
                  "agent_id": "agent-a", "attributes": {"team": "blue"}},
                 {"id": "f3", "type": "fee", "time": "2026-03-15T08:00:00Z", "kind": "other", "cost_usd": 0.5,
                  "agent_id": "agent-a", "member_id": "m1"},
                 {"id": "c1", "type": "call", "time": "2026-03-20T12:00:00Z", "status": "completed",
                  "ended_at": "2026-03-20T12:01:00Z", "cost_usd": 0.75, "agent_id": "agent-b"},
                 {"id": "f0", "type": "fee", "time": "2026-02-28T12:00:00Z", "kind": "other", "cost_usd": 9,
                  "agent_id": "agent-a"}]""");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> admin(String method, String path, String body) {
        return server.send(method, path, body, "X-Admin-Token", TestServer.ADMIN_TOKEN,
                "Content-Type", "application/json");
    }

    private static HttpResponse<String> withKey(String key, String method, String path, String body) {
        return server.send(method, path, body, "Authorization", "Bearer " + key, "Content-Type", "application/json");
    }

    private static JsonNode created(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return TestServer.json(response);
    }

    private static JsonNode statusOf(String budgetId) {
        HttpResponse<String> response = withKey(acmeReader, "GET", "/v1/budgets", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        for (JsonNode budget : TestServer.json(response).path("budgets")) {
            if (budget.path("id").asText().equals(budgetId)) {
                return budget;
            }
        }
        throw new AssertionError("no status for " + budgetId + " in " + response.body());
    }

    private static BigDecimal decimal(JsonNode node) {
        return node.decimalValue().stripTrailingZeros();
    }

    @Test
    void theOperatorDefinesABudgetWithDefaultsChangesAndDeletesIt() {
        JsonNode budget = created(admin("POST", "/admin/budgets", """
                {"tenant_id": "acme", "name": "Monthly spend", "measure": "cost_usd", "period": "month", "limit": 100}"""));
        String id = budget.path("id").asText();
        assertThat(id).startsWith("bud_");
        assertThat(budget.path("tenant_id").asText()).isEqualTo("acme");
        assertThat(budget.path("timezone").asText()).isEqualTo("UTC");
        assertThat(budget.path("action").asText()).isEqualTo("alert");
        assertThat(budget.path("thresholds")).extracting(JsonNode::decimalValue)
                .containsExactly(new BigDecimal("0.5"), new BigDecimal("0.8"), new BigDecimal("1"));

        HttpResponse<String> changed = admin("PATCH", "/admin/budgets/" + id,
                "{\"limit\": 2.5, \"thresholds\": [0.9, 1], \"action\": \"block_calls\", \"timezone\": \"Asia/Tokyo\"}");
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        HttpResponse<String> shown = admin("GET", "/admin/budgets/" + id, null);
        JsonNode stored = TestServer.json(shown);
        assertThat(decimal(stored.path("limit"))).isEqualByComparingTo("2.5");
        assertThat(stored.path("action").asText()).isEqualTo("block_calls");
        assertThat(stored.path("timezone").asText()).isEqualTo("Asia/Tokyo");
        assertThat(stored.path("name").asText()).as("a field the change leaves out keeps its value").isEqualTo("Monthly spend");

        HttpResponse<String> listed = admin("GET", "/admin/budgets?tenant_id=acme", null);
        assertThat(TestServer.json(listed).path("budgets")).extracting(item -> item.path("id").asText()).contains(id);
        assertThat(admin("DELETE", "/admin/budgets/" + id, null).statusCode()).isEqualTo(204);
        assertThat(admin("GET", "/admin/budgets/" + id, null).statusCode()).isEqualTo(404);
        assertThat(admin("DELETE", "/admin/budgets/" + id, null).statusCode()).isEqualTo(404);
    }

    @Test
    void aTenantKeyManagesOnlyItsOwnTenantsBudgets() {
        JsonNode own = created(withKey(acmeBudgets, "POST", "/admin/budgets",
                "{\"name\": \"Daily\", \"measure\": \"cost_usd\", \"period\": \"day\", \"limit\": 5}"));
        assertThat(own.path("tenant_id").asText()).as("the tenant is the key's").isEqualTo("acme");
        String id = own.path("id").asText();

        assertField(withKey(acmeBudgets, "POST", "/admin/budgets",
                "{\"tenant_id\": \"globex\", \"name\": \"x\", \"measure\": \"cost_usd\", \"period\": \"day\", \"limit\": 5}"),
                404, "tenant_id");
        assertField(withKey(globexBudgets, "GET", "/admin/budgets/" + id, null), 404, "id");
        assertField(withKey(globexBudgets, "PATCH", "/admin/budgets/" + id, "{\"limit\": 1}"), 404, "id");
        assertField(withKey(globexBudgets, "DELETE", "/admin/budgets/" + id, null), 404, "id");
        assertThat(TestServer.json(withKey(globexBudgets, "GET", "/admin/budgets", null)).path("budgets")).isEmpty();
        assertThat(withKey(acmeReader, "POST", "/admin/budgets",
                "{\"name\": \"x\", \"measure\": \"cost_usd\", \"period\": \"day\", \"limit\": 5}").statusCode())
                .as("a key without budgets:write").isEqualTo(403);
        assertThat(server.send("GET", "/admin/budgets", null).statusCode()).isEqualTo(401);
        assertThat(withKey(acmeBudgets, "DELETE", "/admin/budgets/" + id, null).statusCode()).isEqualTo(204);
    }

    @Test
    void everyBadFieldIsA400NamingIt() {
        String valid = "\"tenant_id\": \"acme\", \"name\": \"n\", \"measure\": \"cost_usd\", \"period\": \"day\"";
        assertField(admin("POST", "/admin/budgets", "{" + valid + "}"), 400, "limit");
        assertField(admin("POST", "/admin/budgets", "{" + valid + ", \"limit\": -1}"), 400, "limit");
        assertField(admin("POST", "/admin/budgets", "{" + valid + ", \"limit\": \"ten\"}"), 400, "limit");
        assertField(admin("POST", "/admin/budgets", "{" + valid + ", \"limit\": 0.0000000001}"), 400, "limit");
        assertField(admin("POST", "/admin/budgets", "{" + valid + ", \"limt\": 5}"), 400, "limt");
        assertField(admin("POST", "/admin/budgets", "{" + valid.replace("cost_usd", "euros") + ", \"limit\": 5}"),
                400, "measure");
        assertField(admin("POST", "/admin/budgets", "{" + valid.replace("\"day\"", "\"year\"") + ", \"limit\": 5}"),
                400, "period");
        assertField(admin("POST", "/admin/budgets", "{" + valid + ", \"limit\": 5, \"timezone\": \"Mars/Olympus\"}"),
                400, "timezone");
        assertField(admin("POST", "/admin/budgets", "{" + valid + ", \"limit\": 5, \"thresholds\": [0.8, 0.5]}"),
                400, "thresholds");
        assertField(admin("POST", "/admin/budgets", "{" + valid + ", \"limit\": 5, \"thresholds\": [0, 1]}"),
                400, "thresholds");
        assertField(admin("POST", "/admin/budgets", "{" + valid + ", \"limit\": 5, \"action\": \"explode\"}"),
                400, "action");
        assertField(admin("POST", "/admin/budgets", "{" + valid + ", \"limit\": 5, \"scope\": {\"team\": \"x\"}}"),
                400, "scope.team");
        assertField(admin("POST", "/admin/budgets",
                "{" + valid + ", \"limit\": 5, \"scope\": {\"attribute\": {\"a b'\": \"x\"}}}"), 400, "scope.attribute.a b'");
        assertField(admin("POST", "/admin/budgets", "{" + valid.replace("\"n\"", "\"\"") + ", \"limit\": 5}"), 400, "name");
        assertField(admin("POST", "/admin/budgets", "{\"name\": \"n\", \"measure\": \"cost_usd\", \"period\": \"day\","
                + " \"limit\": 5}"), 400, "tenant_id");
        assertField(admin("POST", "/admin/budgets", "{" + valid.replace("acme", "initech") + ", \"limit\": 5}"),
                404, "tenant_id");
        assertField(admin("POST", "/admin/budgets", "[1]"), 400, "body");
        JsonNode budget = created(admin("POST", "/admin/budgets", "{" + valid + ", \"limit\": 5}"));
        assertField(admin("PATCH", "/admin/budgets/" + budget.path("id").asText(), "{\"tenant_id\": \"globex\"}"),
                400, "tenant_id");
        assertField(admin("PATCH", "/admin/budgets/" + budget.path("id").asText(), "{\"limit\": 0}"), 400, "limit");
        admin("DELETE", "/admin/budgets/" + budget.path("id").asText(), null);
    }

    @Test
    void theStatusAddsUpTheScopesCostInThePeriodOfTheBudgetsTimezone() {
        String whole = created(admin("POST", "/admin/budgets", """
                {"tenant_id": "acme", "name": "All", "measure": "cost_usd", "period": "month", "limit": 4}"""))
                .path("id").asText();
        JsonNode status = statusOf(whole);
        assertThat(TestServer.json(withKey(acmeReader, "GET", "/v1/budgets", null)).path("as_of").asText())
                .as("measured by the server's clock").isEqualTo(NOW.toString());
        // 1.25 + 0.75 + 0.5 of fees and the 0.75 call, not February's 9
        assertThat(decimal(status.path("spent"))).isEqualByComparingTo("3.25");
        assertThat(decimal(status.path("remaining"))).isEqualByComparingTo("0.75");
        assertThat(decimal(status.path("percent"))).isEqualByComparingTo("81.25");
        assertThat(status.path("status").asText()).isEqualTo("warning");
        assertThat(status.path("period_start").asText()).isEqualTo("2026-03-01T00:00Z");
        assertThat(status.path("period_end").asText()).isEqualTo("2026-04-01T00:00Z");
        // 3.25 over 30 days 23.5 hours of 31 days
        BigDecimal expected = new BigDecimal("3.25").multiply(BigDecimal.valueOf(31L * 24 * 60))
                .divide(BigDecimal.valueOf(30L * 24 * 60 + 23 * 60 + 30), 9, java.math.RoundingMode.HALF_UP);
        assertThat(decimal(status.path("forecast"))).isEqualByComparingTo(expected);

        String agent = created(admin("POST", "/admin/budgets", """
                {"tenant_id": "acme", "name": "Agent A", "measure": "cost_usd", "period": "month", "limit": 2.5,
                 "scope": {"agent_id": "agent-a"}}""")).path("id").asText();
        JsonNode agentStatus = statusOf(agent);
        assertThat(decimal(agentStatus.path("spent"))).isEqualByComparingTo("2.5");
        assertThat(agentStatus.path("status").asText()).isEqualTo("exhausted");
        assertThat(decimal(agentStatus.path("remaining"))).isEqualByComparingTo("0");

        String member = created(admin("POST", "/admin/budgets", """
                {"tenant_id": "acme", "name": "m1", "measure": "cost_usd", "period": "month", "limit": 10,
                 "scope": {"member_id": "m1"}}""")).path("id").asText();
        assertThat(decimal(statusOf(member).path("spent"))).isEqualByComparingTo("0.5");
        assertThat(statusOf(member).path("status").asText()).isEqualTo("ok");

        String team = created(admin("POST", "/admin/budgets", """
                {"tenant_id": "acme", "name": "red", "measure": "cost_usd", "period": "month", "limit": 10,
                 "scope": {"attribute": {"team": "red"}}}""")).path("id").asText();
        assertThat(decimal(statusOf(team).path("spent"))).isEqualByComparingTo("1.25");

        // in New York it is 19:30 on March 31st: the same month, from its own midnight
        String newYork = created(admin("POST", "/admin/budgets", """
                {"tenant_id": "acme", "name": "NY", "measure": "cost_usd", "period": "month", "limit": 10,
                 "timezone": "America/New_York"}""")).path("id").asText();
        JsonNode local = statusOf(newYork);
        assertThat(local.path("period_start").asText()).isEqualTo("2026-03-01T00:00-05:00");
        assertThat(local.path("period_end").asText()).isEqualTo("2026-04-01T00:00-04:00");
        assertThat(decimal(local.path("spent"))).isEqualByComparingTo("3.25");

        // in Tokyo it is already April 1st, 08:30: March's spending is last period's
        String tokyo = created(admin("POST", "/admin/budgets", """
                {"tenant_id": "acme", "name": "Tokyo day", "measure": "cost_usd", "period": "day", "limit": 10,
                 "timezone": "Asia/Tokyo"}""")).path("id").asText();
        JsonNode tokyoStatus = statusOf(tokyo);
        assertThat(tokyoStatus.path("period_start").asText()).isEqualTo("2026-04-01T00:00+09:00");
        // f2 at 22:00 UTC is 07:00 on April 1st in Tokyo
        assertThat(decimal(tokyoStatus.path("spent"))).isEqualByComparingTo("0.75");

        HttpResponse<String> otherTenant = withKey(server.createKey("globex", "analytics:read"), "GET", "/v1/budgets",
                null);
        assertThat(TestServer.json(otherTenant).path("budgets")).as("another tenant sees none of acme's").isEmpty();
        for (String id : new String[] {whole, agent, member, team, newYork, tokyo}) {
            admin("DELETE", "/admin/budgets/" + id, null);
        }
    }

    @Test
    void theMonitorKnowsWithinSecondsWhichCallsAnExhaustedBudgetRefuses() throws InterruptedException {
        server.createTenant("umbrella", "Umbrella");
        String writer = server.createKey("umbrella", "events:write");
        BudgetMonitor monitor = server.tally().budgets().monitor();
        server.ingest(writer, """
                {"id": "u1", "type": "fee", "time": "2026-03-30T10:00:00Z", "kind": "other", "cost_usd": 2.5,
                 "agent_id": "agent-a"}""");
        String blocking = created(admin("POST", "/admin/budgets", """
                {"tenant_id": "umbrella", "name": "Agent A stop", "measure": "cost_usd", "period": "month", "limit": 3,
                 "scope": {"agent_id": "agent-a"}, "action": "block_calls"}""")).path("id").asText();
        waitUntil(() -> monitor.statuses().stream().anyMatch(status -> status.budget().id().equals(blocking)));
        assertThat(monitor.refusingBudget("umbrella", "agent-a")).as("2.50 of 3 spent").isEmpty();

        server.ingest(writer, """
                {"id": "u2", "type": "fee", "time": "2026-03-31T23:00:00Z", "kind": "other", "cost_usd": 0.5,
                 "agent_id": "agent-a"}""");
        waitUntil(() -> monitor.refusingBudget("umbrella", "agent-a").isPresent());
        assertThat(monitor.refusingBudget("umbrella", "agent-a")).contains(blocking);
        assertThat(monitor.refusingBudget("umbrella", "agent-b")).as("another agent's calls").isEmpty();
        assertThat(monitor.refusingBudget("acme", "agent-a")).as("another tenant's calls").isEmpty();

        admin("DELETE", "/admin/budgets/" + blocking, null);
        waitUntil(() -> monitor.refusingBudget("umbrella", "agent-a").isEmpty());
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("not within 60 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static void assertField(HttpResponse<String> response, int status, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(TestServer.json(response).path("field").asText()).as(response.body()).isEqualTo(field);
    }
}
