package dev.tally.demo;

import dev.tally.app.Tally;
import dev.tally.auth.Scope;
import dev.tally.tenant.Tenant;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The demo: three tenants with 90 days of usage, and keys with fixed secrets so that the README's
 * curl lines work as written. The fixed secrets are the reason this only runs when asked for
 * ({@code serve --demo}).
 */
public final class DemoData {
    public static final String TENANT = "acme";
    public static final String ANALYTICS_KEY = "tly_demo_acme_analytics_0000000000000";
    public static final String INGEST_KEY = "tly_demo_acme_ingest_000000000000000";
    public static final String SUPER_ADMIN_KEY = "tly_demo_platform_superadmin_000000";
    /** The acme member the analytics key acts as, so "your own" member usage works with members:read. */
    public static final String MEMBER_ID = DemoTenants.ACME.members().get(0);
    private static final String SUPER_ADMIN_KEY_NAME = "demo super-admin";
    private static final int KEY_EXPIRY_DAYS = 365;

    private DemoData() {
    }

    /**
     * Loads the demo unless it is there already. The keys are made last, so they mark a complete
     * load: a load that was interrupted runs again, and its events already stored come back as
     * duplicates, since demo ids are deterministic.
     *
     * @return what the load did, or empty when the demo was loaded before
     */
    public static Optional<DemoLoader.Summary> ensureLoaded(Tally tally) {
        if (isLoaded(tally)) {
            return Optional.empty();
        }
        for (DemoTenant tenant : DemoTenants.ALL) {
            if (tally.tenants().find(tenant.id()).isEmpty()) {
                tally.tenants().create(tenant.id(), tenant.name());
            }
        }
        configureCalls(tally);
        DemoPrices.ensure(tally);
        DemoLoader.Summary summary = DemoLoader.loadEvents(tally);
        ensureKey(tally, ANALYTICS_KEY, TENANT, "demo analytics", EnumSet.of(Scope.ANALYTICS_READ, Scope.MEMBERS_READ),
                MEMBER_ID);
        ensureKey(tally, INGEST_KEY, TENANT, "demo ingest", EnumSet.of(Scope.EVENTS_WRITE), null);
        ensureKey(tally, SUPER_ADMIN_KEY, null, SUPER_ADMIN_KEY_NAME, EnumSet.of(Scope.SUPER_ADMIN), null);
        DemoBudgets.ensure(tally);
        return Optional.of(summary);
    }

    /**
     * Call settings for live call control: acme and globex can take calls, initech is left
     * unconfigured so the live view shows a {@code tenant_not_configured} rejection too.
     */
    private static void configureCalls(Tally tally) {
        Tenant acme = tally.tenants().require("acme");
        tally.tenants().update(new Tenant(acme.id(), acme.name(), acme.createdMs(), 20,
                "You are Acme Voice's phone agent. Greet the caller, find out what they need, and keep answers short.",
                false));
        Tenant globex = tally.tenants().require("globex");
        tally.tenants().update(new Tenant(globex.id(), globex.name(), globex.createdMs(), 5,
                "You are Globex's support line. Verify the caller's account number before anything else.", false));
    }

    private static boolean isLoaded(Tally tally) {
        return tally.tenants().find(TENANT).isPresent() && hasKey(tally, null, SUPER_ADMIN_KEY_NAME);
    }

    /** Two keys with one secret would make the secret ambiguous, so a key an interrupted load made stays. */
    private static void ensureKey(Tally tally, String secret, String tenantId, String name, Set<Scope> scopes,
                                  String memberId) {
        if (!hasKey(tally, tenantId, name)) {
            tally.keys().createWithSecret(secret, tenantId, name, scopes, KEY_EXPIRY_DAYS, memberId);
        }
    }

    private static boolean hasKey(Tally tally, String tenantId, String name) {
        return tally.keys().list(tenantId).stream()
                .anyMatch(key -> Objects.equals(tenantId, key.tenantId()) && name.equals(key.name()));
    }

    /** What to try next, with the real demo keys; dates are relative to {@code now} like the demo data. */
    public static String welcome(String host, int port, String adminToken, Instant now) {
        String base = "http://" + host + ":" + port;
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        String analytics = " -H 'Authorization: Bearer " + ANALYTICS_KEY + "'";
        String workspace = base + "/api/v2/w/" + TENANT;
        return String.join("\n", List.of(
                "",
                "Tally is serving on " + base + " with demo data: tenants acme, globex and initech,",
                "90 days of calls, texts and chats up to today (" + today + ").",
                "",
                "Dashboard: open " + base + "/dashboard/ and sign in with " + ANALYTICS_KEY,
                "  (the Live page asks for the admin token: " + adminToken + ")",
                "API reference: " + base + "/docs  (OpenAPI 3.1: " + base + "/openapi.json)",
                "",
                "Health, no key needed:",
                "  curl -s " + base + "/api/v1/health",
                "",
                "Send an event (acme's ingest key):",
                "  curl -s -X POST " + base + "/v1/events -H 'Authorization: Bearer " + INGEST_KEY + "' \\",
                "    -d '{\"id\":\"try-1\",\"type\":\"llm\",\"time\":\"" + today + "T00:00:00Z\",\"provider\":\"openai\","
                        + "\"model\":\"gpt-4o-mini\",\"input_tokens\":1200,\"output_tokens\":300}'",
                "",
                "Call spend, last 30 days (acme's analytics key):",
                "  curl -s " + base + "/v1/analytics/spend" + analytics,
                "",
                "The cost of calls, last 30 days, by part, day and agent, dearest first (acme's analytics key):",
                "  curl -s '" + base + "/v1/analytics/call-costs?order=cost_desc&limit=5'" + analytics,
                "  then one call's parts: " + base + "/v1/analytics/calls/<call_id>/cost",
                "",
                "Where acme's budgets stand this period (acme's analytics key; also the dashboard's Budgets page):",
                "  curl -s " + base + "/v1/budgets" + analytics,
                "",
                "Tokens by assistant across tenants (platform super-admin key):",
                "  curl -s " + base + "/admin/analytics/tokens/by-assistant -H 'Authorization: Bearer "
                        + SUPER_ADMIN_KEY + "'",
                "",
                "Call statistics, last 7 days (Basic auth, the key as password):",
                "  curl -s -X POST " + base + "/calls/stats -u :" + ANALYTICS_KEY
                        + " -H 'Content-Type: application/json' \\",
                "    -d '{\"project_id\":\"acme\",\"start\":\"" + today.minusDays(7) + "T00:00:00Z\","
                        + "\"usage_metrics\":[{\"metric\":\"input_tokens\",\"aggregations\":[\"sum\"]}],"
                        + "\"call_metrics\":[{\"metric\":\"latency_ms\",\"percentiles\":[50,95,99]}]}'",
                "",
                "Workspace usage reports: AI for the last 30 days, the others this month (acme's analytics key):",
                "  curl -s " + workspace + "/reports/ai-usage" + analytics,
                "  curl -s " + workspace + "/reports/sms-usage" + analytics,
                "  curl -s " + workspace + "/reports/phone-usage" + analytics,
                "  curl -s " + workspace + "/reports/voice-usage" + analytics,
                "  curl -s " + workspace + "/reports/member-usage/" + MEMBER_ID + analytics,
                "  curl -s " + workspace + "/members" + analytics,
                "",
                "Tenants (admin token):",
                "  curl -s " + base + "/admin/tenants -H 'X-Admin-Token: " + adminToken + "'",
                ""));
    }
}
