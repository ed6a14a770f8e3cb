package dev.tally.report.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** As the README says: a platform key with super-admin reads any project's call statistics. */
class SuperAdminStatsApiTest {
    private static final String REQUEST = "{\"project_id\":\"%s\",\"start\":\"2026-03-14T00:00:00Z\","
            + "\"end\":\"2026-03-15T00:00:00Z\",\"granularity\":86400,"
            + "\"usage_metrics\":[{\"metric\":\"total_tokens\",\"aggregations\":[\"sum\"]}]}";

    @Test
    void aSuperAdminPlatformKeyReadsAnyProjectAndOtherKeysDoNot() {
        try (TestServer server = TestServer.start(Clock.fixed(Instant.parse("2026-03-15T12:00:00Z"), ZoneOffset.UTC))) {
            server.createTenant("acme", "Acme");
            String writer = server.createKey("acme", "events:write");
            server.ingest(writer, "[{\"id\":\"l1\",\"type\":\"llm\",\"time\":\"2026-03-14T10:00:00Z\","
                    + "\"model\":\"gpt-4o\",\"input_tokens\":40,\"output_tokens\":2}]");
            String superAdmin = server.createKey(null, "super-admin");
            String platformReader = server.createKey(null, "events:write", "analytics:read");

            HttpResponse<String> read = stats(server, superAdmin, "acme");
            assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
            assertThat(read.body()).contains("42");
            assertThat(stats(server, superAdmin, "nobody").statusCode()).isEqualTo(404);
            assertThat(stats(server, platformReader, "acme").statusCode()).isEqualTo(404);
            assertThat(stats(server, writer, "acme").statusCode()).isEqualTo(403);
        }
    }

    private static HttpResponse<String> stats(TestServer server, String key, String project) {
        return server.post("/calls/stats", REQUEST.formatted(project), "Authorization", "Basic "
                + Base64.getEncoder().encodeToString(("api:" + key).getBytes(StandardCharsets.UTF_8)));
    }
}
