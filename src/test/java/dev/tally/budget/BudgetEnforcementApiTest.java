package dev.tally.budget;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.testing.MutableClock;
import dev.tally.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Calls refused by exhausted {@code block_calls} budgets, through a real server: admitted until the
 * event that reaches the limit, rejected with {@code budget_exhausted} within seconds of it, never
 * for calls the budget does not cover or for an alert-only budget; counted in the live metrics, and
 * every budget's standing in {@code /metrics}.
 */
class BudgetEnforcementApiTest {
    private static final Instant NOW = Instant.parse("2026-03-15T12:00:00Z");
    /**
     * A bound that only a crossing never acted on misses: the 5 s is measured by
     * {@code tally bench budgets}, not here, where CI shares its cores with everything else.
     */
    private static final long DETECTION_LIMIT_MS = 60_000;
    private static final AtomicInteger EVENT_IDS = new AtomicInteger();

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(new MutableClock(NOW));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void callsAreRefusedFromTheEventThatReachesTheLimitAndOnlyThoseTheBudgetCovers() throws InterruptedException {
        String writer = tenant("acme");
        String agentBudget = createBudget("""
                {"tenant_id": "acme", "name": "Agent A", "measure": "cost_usd", "period": "day", "limit": 1,
                 "scope": {"agent_id": "agent-a"}, "action": "block_calls"}""");
        String alertOnly = createBudget("""
                {"tenant_id": "acme", "name": "Agent B alert", "measure": "cost_usd", "period": "day", "limit": 0.5,
                 "scope": {"agent_id": "agent-b"}, "action": "alert"}""");
        server.ingest(writer, "[" + fee("acme-1", "agent-a", "0.99") + ", " + fee("acme-2", "agent-b", "0.75") + "]");
        waitForMetric("tally_budget_spent{budget_id=\"" + agentBudget + "\",measure=\"cost_usd\",tenant=\"acme\"} 0.99");
        waitForMetric("tally_budget_exhausted{budget_id=\"" + alertOnly + "\",tenant=\"acme\"} 1.0");
        assertThat(admit(writer, "agent-a")).as("0.99 of 1 spent").isEqualTo("accepted");
        assertThat(admit(writer, "agent-b")).as("an exhausted budget that only alerts").isEqualTo("accepted");

        server.ingest(writer, fee("acme-3", "agent-a", "0.01"));
        long committed = System.nanoTime();
        String decision = admit(writer, "agent-a");
        while (decision.equals("accepted")) {
            assertThat(elapsedMs(committed)).as("still admitted this long after the crossing").isLessThan(DETECTION_LIMIT_MS);
            Thread.sleep(20);
            decision = admit(writer, "agent-a");
        }
        assertThat(decision).isEqualTo("rejected:budget_exhausted");
        assertThat(admit(writer, "agent-a")).isEqualTo("rejected:budget_exhausted");
        assertThat(admit(writer, "agent-c")).as("another agent's call").isEqualTo("accepted");
        assertThat(admit(writer, null)).as("a call naming no agent").isEqualTo("accepted");
        assertThat(admit(writer, "agent-b")).as("still only an alert").isEqualTo("accepted");

        JsonNode live = liveMetrics("/api/v1/metrics/live/acme");
        assertThat(live.path("rejected_calls_budget_exhausted").asLong()).isEqualTo(2);
        assertThat(liveMetrics("/api/v1/metrics/live").path("rejected_calls_budget_exhausted").asLong())
                .isGreaterThanOrEqualTo(2);
        String prometheus = prometheus();
        assertThat(prometheus).contains(
                "# TYPE tally_rejected_calls_budget_exhausted_total counter\n",
                "tally_rejected_calls_budget_exhausted_total{tenant=\"acme\"} 2.0\n",
                "# TYPE tally_budget_utilisation_ratio gauge\n",
                "tally_budget_utilisation_ratio{budget_id=\"" + agentBudget + "\",tenant=\"acme\"} 1.0\n",
                "tally_budget_utilisation_ratio{budget_id=\"" + alertOnly + "\",tenant=\"acme\"} 1.5\n",
                "tally_budget_spent{budget_id=\"" + agentBudget + "\",measure=\"cost_usd\",tenant=\"acme\"} 1.0\n",
                "tally_budget_limit{budget_id=\"" + alertOnly + "\",measure=\"cost_usd\",tenant=\"acme\"} 0.5\n",
                "tally_budget_exhausted{budget_id=\"" + agentBudget + "\",tenant=\"acme\"} 1.0\n");

        // raising the limit lets the agent's calls in again, as soon as the changed budget is measured
        HttpResponse<String> raised = server.send("PATCH", "/admin/budgets/" + agentBudget, "{\"limit\": 2}",
                "X-Admin-Token", TestServer.ADMIN_TOKEN, "Content-Type", "application/json");
        assertThat(raised.statusCode()).as(raised.body()).isEqualTo(200);
        waitUntil(() -> admit(writer, "agent-a").equals("accepted"));
    }

    @Test
    void aTenantWideBudgetRefusesEveryAgentsCallsAndNoOtherTenants() throws InterruptedException {
        String writer = tenant("globex");
        String other = tenant("initech");
        String budget = createBudget("""
                {"tenant_id": "globex", "name": "Everything", "measure": "cost_usd", "period": "month", "limit": 0.5,
                 "action": "block_calls"}""");
        server.ingest(writer, fee("globex-1", "agent-x", "0.5"));
        waitUntil(() -> admit(writer, "agent-y").equals("rejected:budget_exhausted"));
        assertThat(admit(writer, null)).isEqualTo("rejected:budget_exhausted");
        assertThat(admit(other, "agent-x")).as("another tenant").isEqualTo("accepted");

        JsonNode status = TestServer.json(server.getWithKey("/v1/budgets", server.createKey("globex", "analytics:read")))
                .path("budgets").get(0);
        assertThat(status.path("id").asText()).isEqualTo(budget);
        assertThat(status.path("status").asText()).isEqualTo("exhausted");

        // a deleted budget refuses nothing any more
        assertThat(server.send("DELETE", "/admin/budgets/" + budget, null, "X-Admin-Token", TestServer.ADMIN_TOKEN)
                .statusCode()).isEqualTo(204);
        waitUntil(() -> admit(writer, "agent-y").equals("accepted"));
        assertThat(prometheus()).doesNotContain(budget);
    }

    @Test
    void metricsShowWhatTheStatusShowsForEveryKindOfScope() throws InterruptedException {
        String writer = tenant("hooli");
        server.ingest(writer, """
                [{"id": "h1", "type": "fee", "time": "2026-03-15T08:00:00Z", "kind": "other", "cost_usd": 1.5,
                  "agent_id": "agent-a", "member_id": "m1", "attributes": {"team": "red"}},
                 {"id": "h2", "type": "fee", "time": "2026-03-14T08:00:00Z", "kind": "other", "cost_usd": 0.25},
                 {"id": "h3", "type": "call", "time": "2026-03-15T09:00:00Z", "status": "completed",
                  "ended_at": "2026-03-15T09:01:00Z", "cost_usd": 0.5, "agent_id": "agent-b"},
                 {"id": "h4", "type": "llm", "time": "2026-03-15T10:00:00Z", "provider": "openai", "model": "gpt-4o-mini",
                  "input_tokens": 10, "output_tokens": 5, "cost_usd": 0.5, "agent_id": "agent-a"}]""");
        java.util.List<String> ids = java.util.List.of(
                createBudget(budgetOf("Whole month", "cost_usd", "month", "{}")),
                createBudget(budgetOf("Today", "cost_usd", "day", "{}")),
                createBudget(budgetOf("Agent A", "cost_usd", "month", "{\"agent_id\": \"agent-a\"}")),
                createBudget(budgetOf("Agent B calls", "cost_usd", "month", "{\"agent_id\": \"agent-b\"}")),
                createBudget(budgetOf("Nobody's agent", "cost_usd", "month", "{\"agent_id\": \"agent-z\"}")),
                createBudget(budgetOf("Member", "cost_usd", "month", "{\"member_id\": \"m1\"}")),
                createBudget(budgetOf("Red team", "cost_usd", "month", "{\"attribute\": {\"team\": \"red\"}}")),
                createBudget(budgetOf("Credits", "credits", "month", "{}")),
                createBudget(budgetOf("Agent A credits", "credits", "week", "{\"agent_id\": \"agent-a\"}")));
        JsonNode statuses = TestServer.json(server.getWithKey("/v1/budgets", server.createKey("hooli", "analytics:read")))
                .path("budgets");
        assertThat(statuses).hasSize(ids.size());
        for (JsonNode status : statuses) {
            waitForMetric("tally_budget_spent{budget_id=\"" + status.path("id").asText() + "\",measure=\""
                    + status.path("measure").asText() + "\",tenant=\"hooli\"} " + status.path("spent").doubleValue());
        }
        assertThat(statuses).extracting(status -> status.path("spent").decimalValue().stripTrailingZeros().toPlainString())
                .as("gpt-4o-mini's 15 tokens are 0.0015 credits at the default prices")
                .containsExactlyInAnyOrder("2.75", "2.5", "2", "0.5", "0", "1.5", "1.5", "0.0015", "0.0015");
    }

    private static String budgetOf(String name, String measure, String period, String scope) {
        return "{\"tenant_id\": \"hooli\", \"name\": \"" + name + "\", \"measure\": \"" + measure
                + "\", \"period\": \"" + period + "\", \"limit\": 100, \"scope\": " + scope + "}";
    }

    /** A tenant with instructions, so only budgets can refuse its calls; returns its gateway key. */
    private static String tenant(String id) {
        server.createTenant(id, id);
        HttpResponse<String> configured = server.send("PATCH", "/admin/tenants/" + id,
                "{\"instructions\": \"Be brief.\", \"max_concurrent_calls\": 1000}", "X-Admin-Token", TestServer.ADMIN_TOKEN);
        assertThat(configured.statusCode()).as(configured.body()).isEqualTo(200);
        return server.createKey(id, "events:write");
    }

    private static String createBudget(String body) {
        HttpResponse<String> created = server.send("POST", "/admin/budgets", body, "X-Admin-Token",
                TestServer.ADMIN_TOKEN, "Content-Type", "application/json");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return TestServer.json(created).path("id").asText();
    }

    private static String fee(String id, String agentId, String costUsd) {
        return "{\"id\": \"" + id + "\", \"type\": \"fee\", \"time\": \"2026-03-15T11:00:00Z\", \"kind\": \"other\","
                + " \"cost_usd\": " + costUsd + ", \"agent_id\": \"" + agentId + "\"}";
    }

    /** Asks to admit a new call: "accepted", or "rejected:" and the reason. */
    private static String admit(String key, String agentId) {
        int number = EVENT_IDS.incrementAndGet();
        String body = "{\"event_id\": \"admit-" + number + "\", \"call_id\": \"call-" + number + "\""
                + (agentId == null ? "" : ", \"agent_id\": \"" + agentId + "\"") + "}";
        HttpResponse<String> response = server.post("/v1/calls/admit", body, "Authorization", "Bearer " + key);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = TestServer.json(response);
        String decision = answer.path("decision").asText();
        return decision.equals("rejected") ? decision + ":" + answer.path("reason").asText() : decision;
    }

    private static JsonNode liveMetrics(String path) {
        HttpResponse<String> response = server.get(path, "X-Admin-Token", TestServer.ADMIN_TOKEN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestServer.json(response);
    }

    private static String prometheus() {
        HttpResponse<String> response = server.get("/metrics", "X-Admin-Token", TestServer.ADMIN_TOKEN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private static void waitForMetric(String line) throws InterruptedException {
        waitUntil(() -> prometheus().contains(line + "\n"));
    }

    private static long elapsedMs(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long started = System.nanoTime();
        while (!condition.getAsBoolean()) {
            assertThat(elapsedMs(started)).as("not within 60 s").isLessThan(60_000);
            Thread.sleep(50);
        }
    }
}
