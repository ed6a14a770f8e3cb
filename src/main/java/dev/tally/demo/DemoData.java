package dev.tally.demo;

import dev.tally.auth.Scope;
import dev.tally.server.Tally;
import java.util.EnumSet;

/**
 * The demo: tenants and keys with fixed secrets so that the README's curl lines work as written.
 * The fixed secrets are the reason this only runs when asked for ({@code serve --demo}).
 */
public final class DemoData {
    public static final String TENANT = "acme";
    public static final String ANALYTICS_KEY = "tly_demo_acme_analytics_0000000000000";
    public static final String INGEST_KEY = "tly_demo_acme_ingest_000000000000000";
    public static final String SUPER_ADMIN_KEY = "tly_demo_platform_superadmin_000000";

    private DemoData() {
    }

    public static void ensureLoaded(Tally tally) {
        if (tally.tenants().find(TENANT).isPresent()) {
            return;
        }
        tally.tenants().create(TENANT, "Acme Voice");
        tally.keys().createWithSecret(ANALYTICS_KEY, TENANT, "demo analytics",
                EnumSet.of(Scope.ANALYTICS_READ, Scope.MEMBERS_READ), 365, null);
        tally.keys().createWithSecret(INGEST_KEY, TENANT, "demo ingest", EnumSet.of(Scope.EVENTS_WRITE), 365, null);
        tally.keys().createWithSecret(SUPER_ADMIN_KEY, null, "demo super-admin", EnumSet.of(Scope.SUPER_ADMIN), 365, null);
    }

    public static String welcome(String host, int port, String adminToken) {
        String base = "http://" + host + ":" + port;
        return String.join("\n",
                "",
                "Tally is serving on " + base + " with demo data.",
                "",
                "  curl -s " + base + "/api/v1/health",
                "  curl -s -X POST " + base + "/v1/events -H 'Authorization: Bearer " + INGEST_KEY + "' \\",
                "       -d '{\"id\":\"try-1\",\"type\":\"llm\",\"time\":\"2026-01-01T00:00:00Z\",\"provider\":\"openai\","
                        + "\"model\":\"gpt-4o-mini\",\"input_tokens\":1200,\"output_tokens\":300}'",
                "  curl -s " + base + "/admin/tenants -H 'X-Admin-Token: " + adminToken + "'",
                "");
    }
}
