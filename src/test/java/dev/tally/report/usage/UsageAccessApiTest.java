package dev.tally.report.usage;

import static dev.tally.report.usage.UsageTesting.OTHER_TENANT;
import static dev.tally.report.usage.UsageTesting.TENANT;
import static dev.tally.report.usage.UsageTesting.report;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Who may read which workspace's reports, and the answers to bad dates, for every report. */
class UsageAccessApiTest {
    private static final List<String> REPORTS = List.of("ai-usage", "sms-usage", "phone-usage", "voice-usage",
            "member-usage/alice");

    private static TestServer server;
    private static String analytics;

    @BeforeAll
    static void start() {
        server = UsageTesting.start();
        analytics = UsageTesting.key(server, TENANT, "analytics:read");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void anotherTenantsWorkspaceIsNotFound() {
        for (String name : REPORTS) {
            HttpResponse<String> response = server.getWithKey(report(OTHER_TENANT, name), analytics);
            assertThat(response.statusCode()).as(name).isEqualTo(404);
            assertThat(TestServer.json(response).path("reason").asText()).isEqualTo("workspace not found");
            assertThat(server.getWithKey(report("no-such-workspace", name), analytics).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aPlatformKeyHasNoWorkspace() {
        String platform = UsageTesting.key(server, null, "super-admin", "analytics:read");

        assertThat(server.getWithKey(report(TENANT, "ai-usage"), platform).statusCode()).isEqualTo(404);
    }

    @Test
    void reportsNeedAnalyticsRead() {
        String membersOnly = UsageTesting.memberKey(server, TENANT, "bob", "members:read", "events:write");
        for (String name : REPORTS) {
            HttpResponse<String> response = server.getWithKey(report(TENANT, name), membersOnly);
            assertThat(response.statusCode()).as(name).isEqualTo(403);
            assertThat(response.body()).as(name).contains("analytics:read");
        }
    }

    @Test
    void aMissingOrUnknownKeyIsUnauthorized() {
        assertThat(server.get(report(TENANT, "ai-usage")).statusCode()).isEqualTo(401);
        assertThat(server.getWithKey(report(TENANT, "sms-usage"), "not-a-key").statusCode()).isEqualTo(401);
    }

    @Test
    void aBadDateIsA400NamingTheParameter() {
        for (String name : REPORTS) {
            HttpResponse<String> response = server.getWithKey(report(TENANT, name) + "?start_date=2026-3-01", analytics);
            assertThat(response.statusCode()).as(name).isEqualTo(400);
            assertThat(TestServer.json(response).path("field").asText()).isEqualTo("start_date");

            HttpResponse<String> end = server.getWithKey(report(TENANT, name) + "?end_date=yesterday", analytics);
            assertThat(end.statusCode()).as(name).isEqualTo(400);
            assertThat(TestServer.json(end).path("field").asText()).isEqualTo("end_date");
        }
    }

    @Test
    void anEndBeforeTheStartIsA400() {
        for (String name : REPORTS) {
            HttpResponse<String> response = server.getWithKey(report(TENANT, name)
                    + "?start_date=2026-03-10&end_date=2026-03-09", analytics);
            assertThat(response.statusCode()).as(name).isEqualTo(400);
            JsonNode error = TestServer.json(response);
            assertThat(error.path("field").asText()).isEqualTo("end_date");
            assertThat(error.path("reason").asText()).contains("start_date");
        }
    }

    @Test
    void theCsvOfAnEmptyReportStillHasItsHeader() {
        HttpResponse<String> response = server.getWithKey(report(TENANT, "phone-usage") + "?format=csv", analytics);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("date,phoneNumber,inbound,outbound,totalDurationSeconds\r\n");
    }
}
