package dev.tally.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Budgets page in a real headless Chromium. The server's clock is 2026-03-15 12:00 UTC (08:00 in
 * New York, on daylight time since March 8th), 14.5 of March's 31 days.
 *
 * <pre>
 * fees   agent-a 0.90 on 03-10; agent-b 2.00 on 03-15 09:00 UTC (05:00 in New York)
 * budget "Agent A"        month, agent-a, limit 1, block_calls: 0.90 = 90%, warning, 0.10 left,
 *                         forecast 0.90 × 31 / 14.5 = 1.92 (over the limit)
 * budget "Agent B"        month, agent-b, limit 2, alert: 2.00 = 100%, exhausted, 0 left, forecast 4.28
 * budget "New York day"   day in America/New_York, whole workspace, limit 10: 2.00 = 20%, ok,
 *                         8 of 24 hours gone, forecast 6.00
 * </pre>
 */
class DashboardBudgetsBrowserTest {
    private static final String TENANT = "shop";
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String GREEN = "rgb(16, 185, 129)";
    private static final String AMBER = "rgb(245, 158, 11)";
    private static final String RED = "rgb(220, 38, 38)";

    private static TestServer server;
    private static Browser browser;
    private static String readerKey;
    private static Map<String, String> ids;

    @BeforeAll
    static void start() {
        server = TestServer.start(Clock.fixed(Instant.parse("2026-03-15T12:00:00Z"), ZoneOffset.UTC));
        server.createTenant(TENANT, "Shop");
        readerKey = server.createKey(TENANT, "analytics:read");
        server.ingest(server.createKey(TENANT, "events:write"), """
                [{"id": "f1", "type": "fee", "time": "2026-03-10T10:00:00Z", "kind": "other", "cost_usd": 0.90,
                  "agent_id": "agent-a"},
                 {"id": "f2", "type": "fee", "time": "2026-03-15T09:00:00Z", "kind": "other", "cost_usd": 2.00,
                  "agent_id": "agent-b"}]""");
        ids = Map.of(
                "agent-a", budget("""
                        {"tenant_id": "shop", "name": "Agent A", "measure": "cost_usd", "period": "month", "limit": 1,
                         "scope": {"agent_id": "agent-a"}, "action": "block_calls"}"""),
                "agent-b", budget("""
                        {"tenant_id": "shop", "name": "Agent B", "measure": "cost_usd", "period": "month", "limit": 2,
                         "scope": {"agent_id": "agent-b"}}"""),
                "new-york", budget("""
                        {"tenant_id": "shop", "name": "New York day", "measure": "cost_usd", "period": "day",
                         "limit": 10, "timezone": "America/New_York"}"""));
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        // closed in reverse order, the browser first; a resource that never started is null and skipped
        try (TestServer startedServer = server; Browser startedBrowser = browser) {
            assertThat(startedServer).isNotNull();
        }
    }

    private static String budget(String body) {
        HttpResponse<String> created = server.send("POST", "/admin/budgets", body, "X-Admin-Token",
                TestServer.ADMIN_TOKEN, "Content-Type", "application/json");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return TestServer.json(created).path("id").asText();
    }

    @Test
    void eachBudgetIsABarColouredByItsStatusWithWhatIsLeftThePeriodAndTheForecast() {
        browser.open(server.url("/dashboard/"));
        browser.find("#signin-key").sendKeys(readerKey);
        browser.find("#signin-submit").click();
        browser.find("#who-workspace");
        browser.script("window.location.hash = 'budgets'");
        browser.find("#page[data-page='budgets'][data-state='ready']");
        assertThat(browser.find("#page-title").getText()).isEqualTo("Budgets");
        assertThat(browser.all("#range").get(0).isDisplayed()).as("budgets have their own periods, not the range").isFalse();
        assertThat(metric("budgets-total")).isEqualTo("3");
        assertThat(metric("budgets-warning")).isEqualTo("1");
        assertThat(metric("budgets-exhausted")).isEqualTo("1");

        String agentA = ids.get("agent-a");
        assertThat(field(agentA, "status")).isEqualTo("Warning");
        assertThat(field(agentA, "spent")).isEqualTo("$0.90");
        assertThat(field(agentA, "limit")).isEqualTo("$1.00");
        assertThat(field(agentA, "percent")).isEqualTo("90%");
        assertThat(field(agentA, "remaining")).isEqualTo("$0.10");
        assertThat(field(agentA, "forecast")).isEqualTo("$1.92");
        assertThat(field(agentA, "period")).isEqualTo("Mar 1, 00:00 – Apr 1, 00:00");
        assertThat(card(agentA)).contains("Blocks calls").contains("agent agent-a").contains("per month (UTC)");
        assertThat(bar(agentA, "width")).isEqualTo("90%");
        assertThat(fillColour(agentA)).isEqualTo(AMBER);
        assertThat(browser.script("return getComputedStyle(document.querySelector("
                + "`[data-budget='${arguments[0]}'] [data-field='forecast']`)).color", agentA))
                .as("a forecast over the limit stands out").isEqualTo(RED);

        String agentB = ids.get("agent-b");
        assertThat(field(agentB, "status")).isEqualTo("Exhausted");
        assertThat(field(agentB, "percent")).isEqualTo("100%");
        assertThat(field(agentB, "remaining")).isEqualTo("$0.00");
        assertThat(field(agentB, "forecast")).isEqualTo("$4.28");
        assertThat(card(agentB)).doesNotContain("Blocks calls");
        assertThat(fillColour(agentB)).isEqualTo(RED);
        assertThat(bar(agentB, "width")).isEqualTo("100%");

        String newYork = ids.get("new-york");
        assertThat(field(newYork, "status")).isEqualTo("On track");
        assertThat(field(newYork, "spent")).isEqualTo("$2.00");
        assertThat(field(newYork, "percent")).isEqualTo("20%");
        assertThat(field(newYork, "forecast")).isEqualTo("$6.00");
        assertThat(field(newYork, "period")).as("the day on the budget's own clock").isEqualTo("Mar 15, 00:00 – Mar 16, 00:00");
        assertThat(card(newYork)).contains("the whole workspace").contains("per day (America/New_York)");
        assertThat(fillColour(newYork)).isEqualTo(GREEN);
        assertThat(bar(newYork, "left")).as("the forecast mark at 6 of 10").isEqualTo("60%");
        assertThat(browser.find("[data-budget='" + newYork + "'] [role='progressbar']").getAttribute("aria-valuenow"))
                .isEqualTo("20");

        assertThat(browser.cspViolations()).as("bars drawn without style attributes the policy refuses").isEmpty();
        browser.screenshotsAtBothSizes(SCREENSHOTS, "budgets", true);
    }

    private static String metric(String name) {
        return browser.find("[data-metric='" + name + "'] .stat-value").getText();
    }

    private static String card(String budgetId) {
        return browser.find("[data-budget='" + budgetId + "']").getText();
    }

    private static String field(String budgetId, String field) {
        return browser.find("[data-budget='" + budgetId + "'] [data-field='" + field + "']").getText();
    }

    /** The fill's width, or the forecast mark's left edge, as the page set it. */
    private static Object bar(String budgetId, String property) {
        String part = property.equals("width") ? ".budget-fill" : ".budget-forecast-mark";
        return browser.script("return document.querySelector(`[data-budget='${arguments[0]}'] " + part + "`).style[arguments[1]]",
                budgetId, property);
    }

    private static Object fillColour(String budgetId) {
        return browser.script("return getComputedStyle(document.querySelector("
                + "`[data-budget='${arguments[0]}'] .budget-fill`)).backgroundColor", budgetId);
    }
}
