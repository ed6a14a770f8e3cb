package dev.tally.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.cli.RestoreCommand;
import dev.tally.testing.MutableClock;
import dev.tally.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A backup taken from a serving store, restored by {@code tally restore} into a new data
 * directory: a server started there answers every report as the first did when the copy was
 * taken, and nothing written after it.
 */
class BackupApiTest {
    private static final Instant NOW = Instant.parse("2026-03-31T12:00:00Z");
    private static final List<String> REPORTS = List.of(
            "/v1/analytics/spend?from=2026-03-01&to=2026-03-31",
            "/v1/analytics/call-costs?from=2026-03-01&to=2026-03-31",
            "/v1/exports/events?from=2026-03-01&to=2026-03-31",
            "/api/v2/w/acme/reports/ai-usage?start_date=2026-03-01&end_date=2026-03-31",
            "/api/v2/w/acme/reports/sms-usage?start_date=2026-03-01&end_date=2026-03-31",
            "/v1/budgets");

    @TempDir
    Path directory;

    private static Map<String, String> answers(TestServer server, String key) {
        Map<String, String> answers = new LinkedHashMap<>();
        for (String report : REPORTS) {
            HttpResponse<String> response = server.getWithKey(report, key);
            assertThat(response.statusCode()).as(report + " " + response.body()).isEqualTo(200);
            String body = report.startsWith("/v1/exports") ? sortedLines(response.body())
                    : report.equals("/v1/budgets") ? withoutClock(response.body()) : response.body();
            answers.put(report, body);
        }
        return answers;
    }

    /** An export is in no particular order. */
    private static String sortedLines(String body) {
        return String.join("\n", body.lines().sorted().toList());
    }

    private static String withoutClock(String body) {
        JsonNode json;
        try {
            json = dev.tally.http.Json.MAPPER.readTree(body);
        } catch (java.io.IOException notJson) {
            throw new AssertionError(body, notJson);
        }
        ((com.fasterxml.jackson.databind.node.ObjectNode) json).remove("as_of");
        return json.toString();
    }

    @Test
    void aRestoredCopyAnswersEveryReportAsTheStoreDidWhenItWasTaken() throws Exception {
        Path first = directory.resolve("first");
        Path backup = directory.resolve("backup");
        Path restored = directory.resolve("restored");
        Map<String, String> before;
        try (TestServer server = TestServer.start(new MutableClock(NOW), first)) {
            server.createTenant("acme", "Acme");
            String writer = server.createKey("acme", "events:write");
            String reader = server.createKey("acme", "analytics:read", "export:read", "members:read");
            server.ingest(writer, """
                    [{"id": "l1", "type": "llm", "time": "2026-03-10T10:00:00Z", "provider": "openai", "model": "gpt-4o",
                      "input_tokens": 1200, "output_tokens": 300, "agent_id": "a1", "call_id": "c1"},
                     {"id": "c1", "type": "call", "time": "2026-03-10T09:59:00Z", "status": "completed",
                      "ended_at": "2026-03-10T10:03:00Z", "cost_usd": 0.03, "agent_id": "a1",
                      "reported_total_cost_usd": 0.5},
                     {"id": "f1", "type": "fee", "time": "2026-03-10T10:04:00Z", "kind": "platform", "cost_usd": 0.2,
                      "call_id": "c1"},
                     {"id": "s1", "type": "sms", "time": "2026-03-13T10:00:00Z", "direction": "outbound",
                      "phone_number": "+14155550100", "body": "hello", "cost_usd": 0.0079}]""");
            server.ingest(writer, """
                    {"id": "f1", "type": "fee", "time": "2026-03-10T10:04:00Z", "kind": "platform", "cost_usd": 0.25,
                     "call_id": "c1", "revision": 1}""");
            HttpResponse<String> budget = server.send("POST", "/admin/budgets", """
                    {"tenant_id": "acme", "name": "March", "measure": "cost_usd", "period": "month", "limit": 1}""",
                    "X-Admin-Token", TestServer.ADMIN_TOKEN);
            assertThat(budget.statusCode()).as(budget.body()).isEqualTo(201);
            before = answers(server, reader);
            assertThat(before.get(REPORTS.get(2)).lines().count()).as("the export holds the four events").isEqualTo(4);

            HttpResponse<String> taken = server.send("POST", "/admin/backups",
                    "{\"directory\": \"" + backup.toAbsolutePath() + "\"}", "X-Admin-Token", TestServer.ADMIN_TOKEN);
            assertThat(taken.statusCode()).as(taken.body()).isEqualTo(201);
            assertThat(TestServer.json(taken).path("bytes").asLong()).isPositive();

            // written after the copy: not in it
            server.ingest(writer, """
                    {"id": "f2", "type": "fee", "time": "2026-03-11T10:00:00Z", "kind": "other", "cost_usd": 5}""");
            assertThat(answers(server, reader)).isNotEqualTo(before);

            HttpResponse<String> again = server.send("POST", "/admin/backups",
                    "{\"directory\": \"" + backup.toAbsolutePath() + "\"}", "X-Admin-Token", TestServer.ADMIN_TOKEN);
            assertThat(again.statusCode()).as("a directory holding a backup already").isEqualTo(400);
            assertThat(TestServer.json(again).path("field").asText()).isEqualTo("directory");
            HttpResponse<String> relative = server.send("POST", "/admin/backups", "{\"directory\": \"backups/x\"}",
                    "X-Admin-Token", TestServer.ADMIN_TOKEN);
            assertThat(relative.statusCode()).isEqualTo(400);
            assertThat(server.send("POST", "/admin/backups", "{\"directory\": \"/tmp/x\"}").statusCode())
                    .as("without the admin token").isEqualTo(401);
        }

        int exit = new CommandLine(new RestoreCommand()).execute(backup.toString(), "--data-dir", restored.toString());
        assertThat(exit).isZero();
        assertThat(Files.isRegularFile(restored.resolve("tally.duckdb"))).isTrue();
        assertThat(new CommandLine(new RestoreCommand()).execute(backup.toString(), "--data-dir", restored.toString()))
                .as("a data directory holding a store already").isEqualTo(2);

        try (TestServer server = TestServer.start(new MutableClock(NOW), restored)) {
            // the keys are in the copy too: the same key reads the restored store
            String reader = server.createKey("acme", "analytics:read", "export:read", "members:read");
            assertThat(answers(server, reader)).isEqualTo(before);
        }
    }
}
