package dev.tally.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What one workspace saw never reaches the next one signed in on the same tab, a slow page never
 * paints over the page asked for after it, and every page carries the browser's protections with no
 * violation of them.
 */
class DashboardSessionBrowserTest {
    private static TestServer server;
    private static Browser browser;
    private static String shopKey;
    private static String otherKey;

    @BeforeAll
    static void start() {
        server = TestServer.start(Clock.fixed(Instant.parse("2026-03-15T12:00:00Z"), ZoneOffset.UTC));
        server.createTenant("shop", "Shop");
        server.createTenant("other", "Other");
        shopKey = server.createKey("shop", "events:write", "analytics:read", "members:read");
        otherKey = server.createKey("other", "events:write", "analytics:read", "members:read");
        server.ingest(shopKey, calls("s", "agent-alpha", 2) + "");
        server.ingest(otherKey, calls("o", "agent-omega", 5));
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static String calls(String prefix, String agent, int count) {
        StringBuilder json = new StringBuilder("[");
        for (int index = 0; index < count; index++) {
            json.append(index == 0 ? "" : ",").append("{\"id\":\"").append(prefix).append(index)
                    .append("\",\"type\":\"call\",\"status\":\"completed\",\"time\":\"2026-03-1").append(index)
                    .append("T10:00:00Z\",\"ended_at\":\"2026-03-1").append(index).append("T10:01:00Z\",\"agent_id\":\"")
                    .append(agent).append("\",\"cost_usd\":0.1}");
        }
        return json.append("]").toString();
    }

    @Test
    void theNextWorkspaceOnTheSameTabSeesNothingOfThePreviousOne() {
        freshTab();
        signInOnThePage(shopKey);
        page("spend");
        browser.waitForText("[data-metric='total-calls'] .stat-value", "2");
        browser.script("const select = document.querySelector('#agent-filter'); select.value = 'agent-alpha';"
                + " select.dispatchEvent(new Event('change'))");
        browser.find("#page[data-page='spend'][data-state='ready']");

        browser.find("#signout").click();
        browser.find("#signin-key");
        signInOnThePage(otherKey);
        page("spend");
        browser.waitForText("[data-metric='total-calls'] .stat-value", "5");
        @SuppressWarnings("unchecked")
        List<String> agents = (List<String>) browser.script("return [...document.querySelectorAll('#agent-filter option')]"
                + ".map((option) => option.value)");
        assertThat(agents).contains("agent-omega").doesNotContain("agent-alpha");
        assertThat(browser.script("return document.querySelector('#agent-filter').value")).isEqualTo("");
        assertThat((String) browser.script("return document.body.innerText")).doesNotContain("agent-alpha");
    }

    @Test
    void aSlowPageDoesNotPaintOverThePageAskedForAfterIt() {
        freshTab();
        signInOnThePage(shopKey);
        page("spend");
        // the AI usage report's answer is held back for two seconds; the spend page is asked for meanwhile
        browser.script("const original = window.fetch; window.fetch = (url, options) => String(url).includes('ai-usage')"
                + " ? new Promise((resolve) => setTimeout(() => resolve(original(url, options)), 2000))"
                + " : original(url, options);");
        browser.script("window.location.hash = 'ai'");
        browser.script("setTimeout(() => { window.location.hash = 'spend'; }, 300)");
        browser.find("#page[data-page='spend'][data-state='ready']");
        sleep(2_500);
        assertThat(browser.script("return document.querySelector('#page').dataset.page")).isEqualTo("spend");
        assertThat(browser.all("#page [data-metric='total-calls']")).hasSize(1);
        assertThat(browser.all("#page .page-body")).hasSize(1);
        assertThat(browser.find("#page-title").getText()).isEqualTo(
                browser.script("return document.title.split(' · ')[0]"));
    }

    @Test
    void everyPageHasTheSecurityHeadersAndNoneIsViolated() {
        for (String path : List.of("/dashboard/", "/docs", "/openapi.json", "/dashboard/js/app.js", "/api/v1/health")) {
            HttpResponse<String> response = server.get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Security-Policy")).as(path).hasValueSatisfying(policy ->
                    assertThat(policy).contains("default-src 'self'").contains("frame-ancestors 'none'"));
            assertThat(response.headers().firstValue("X-Content-Type-Options")).as(path).contains("nosniff");
            assertThat(response.headers().firstValue("Referrer-Policy")).as(path).contains("no-referrer");
            assertThat(response.headers().firstValue("X-Frame-Options")).as(path).contains("DENY");
        }
        freshTab();
        signInOnThePage(shopKey);
        for (String page : List.of("spend", "ai", "communications", "members", "stats", "budgets")) {
            page(page);
        }
        assertThat(browser.cspViolations()).as("CSP violations on the dashboard").isEmpty();
        browser.open(server.url("/docs"));
        browser.find("body");
        sleep(500);
        assertThat(browser.cspViolations()).as("CSP violations on the API reference").isEmpty();
    }

    /** The dashboard with nobody signed in: another test of this class may have left a session. */
    private static void freshTab() {
        browser.open(server.url("/dashboard/"));
        browser.script("sessionStorage.clear()");
        browser.open(server.url("/dashboard/"));
    }

    private static void signInOnThePage(String key) {
        browser.find("#signin-key").clear();
        browser.find("#signin-key").sendKeys(key);
        browser.find("#signin-submit").click();
        browser.find("#who-workspace");
    }

    private static void page(String id) {
        browser.script("window.location.hash = arguments[0]", id);
        browser.find("#page[data-page='" + id + "'][data-state='ready']");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
