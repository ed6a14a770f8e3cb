package dev.tally.report.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** What the usage report tests share: a fixed clock (Sunday 2026-03-15, noon UTC), prices, requests. */
final class UsageTesting {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-15T12:00:00Z"), ZoneOffset.UTC);
    static final String TENANT = "acme-workspace";
    static final String OTHER_TENANT = "other-workspace";

    private UsageTesting() {
    }

    /**
     * Starts a server with two tenants and two platform-wide price entries that make credits easy to
     * work out by hand: provider {@code acme} at $1 in / $2 out per million and 1 credit per thousand
     * tokens; {@code beta} at $3 / $6 and 2 credits per thousand. Any other provider is unpriced.
     */
    static TestServer start() {
        TestServer server = TestServer.start(CLOCK);
        server.createTenant(TENANT, "Acme");
        server.createTenant(OTHER_TENANT, "Other");
        price(server, "acme", 1, 2, 1);
        price(server, "beta", 3, 6, 2);
        return server;
    }

    private static void price(TestServer server, String provider, int input, int output, int creditMultiplier) {
        String body = """
                {"provider": "%s", "model": "*", "effective_from": "2024-01-01", "input_per_million": %d,
                 "output_per_million": %d, "credit_multiplier": %d}""".formatted(provider, input, output, creditMultiplier);
        HttpResponse<String> response = server.post("/admin/prices", body, "X-Admin-Token", TestServer.ADMIN_TOKEN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    /**
     * A key of the tenant. The explicit array picks TestServer's {@code createKey(tenant, scopes...)}:
     * with loose strings the call is ambiguous with the overload that takes a member id.
     */
    static String key(TestServer server, String tenant, String... scopes) {
        return server.createKey(tenant, scopes);
    }

    static String memberKey(TestServer server, String tenant, String memberId, String... scopes) {
        return server.createMemberKey(tenant, memberId, scopes);
    }

    static JsonNode ok(TestServer server, String path, String key) {
        HttpResponse<String> response = server.getWithKey(path, key);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestServer.json(response);
    }

    static String report(String tenant, String name) {
        return "/api/v2/w/" + tenant + "/reports/" + name;
    }
}
