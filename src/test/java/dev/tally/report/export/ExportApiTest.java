package dev.tally.report.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.http.Json;
import dev.tally.testing.MutableClock;
import dev.tally.testing.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tenant's raw events exported through a real server, read back (CSV and Parquet by DuckDB
 * itself) and compared with what was sent: the final revision of each, its stored cost, nothing of
 * another tenant's or outside the range.
 */
class ExportApiTest {
    private static final boolean CLICKHOUSE = "clickhouse".equals(System.getProperty(TestServer.STORE_PROPERTY));
    private static TestServer server;
    private static String exporter;

    @TempDir
    static Path files;

    @BeforeAll
    static void start() {
        server = TestServer.start(new MutableClock(Instant.parse("2026-03-31T12:00:00Z")));
        server.createTenant("acme", "Acme");
        server.createTenant("globex", "Globex");
        String acme = server.createKey("acme", "events:write");
        exporter = server.createKey("acme", "export:read");
        server.ingest(acme, """
                [{"id": "l1", "type": "llm", "time": "2026-03-10T10:00:00Z", "provider": "openai", "model": "gpt-4o",
                  "input_tokens": 1200, "output_tokens": 300, "cost_usd": 0.012345678, "agent_id": "agent \\"one\\", ok",
                  "attributes": {"note": "one, \\"two\\"; three", "emoji": "\\ud83d\\ude00"}},
                 {"id": "f1", "type": "fee", "time": "2026-03-11T10:00:00Z", "kind": "platform", "cost_usd": 0.5},
                 {"id": "c1", "type": "call", "time": "2026-03-12T10:00:00Z", "status": "completed",
                  "ended_at": "2026-03-12T10:02:00Z", "cost_usd": 0.03, "phone_number": "+14155550100"},
                 {"id": "s1", "type": "sms", "time": "2026-03-13T10:00:00Z", "direction": "outbound",
                  "phone_number": "+14155550100", "body": "hi", "cost_usd": 0.0079},
                 {"id": "old", "type": "fee", "time": "2026-02-01T10:00:00Z", "kind": "other", "cost_usd": 9}]""");
        // a correction: the export holds the final revision only
        server.ingest(acme, """
                {"id": "f1", "type": "fee", "time": "2026-03-11T10:00:00Z", "kind": "platform", "cost_usd": 0.75,
                 "revision": 2}""");
        server.ingest(server.createKey("globex", "events:write"), """
                {"id": "g1", "type": "fee", "time": "2026-03-11T10:00:00Z", "kind": "other", "cost_usd": 1}""");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<byte[]> export(String key, String query) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url("/v1/exports/events" + query)))
                .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static Map<String, JsonNode> ndjson(byte[] body) throws IOException {
        Map<String, JsonNode> rows = new TreeMap<>();
        for (String line : new String(body, java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                JsonNode row = Json.MAPPER.readTree(line);
                rows.put(row.path("id").asText(), row);
            }
        }
        return rows;
    }

    @Test
    void ndjsonHoldsEachEventOfTheRangeOnceAtItsFinalRevisionWithItsStoredCost() throws Exception {
        HttpResponse<byte[]> response = export(exporter, "?from=2026-03-01&to=2026-03-31");
        assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/x-ndjson");
        Map<String, JsonNode> rows = ndjson(response.body());
        assertThat(rows.keySet()).containsExactly("c1", "f1", "l1", "s1");
        assertThat(rows.get("f1").path("cost_nanos").asLong()).isEqualTo(750_000_000L);
        assertThat(rows.get("f1").path("revision").asLong()).isEqualTo(2);
        assertThat(rows.get("l1").path("cost_nanos").asLong()).isEqualTo(12_345_678L);
        assertThat(rows.get("l1").path("input_tokens").asLong()).isEqualTo(1200);
        assertThat(rows.get("l1").path("agent_id").asText()).isEqualTo("agent \"one\", ok");
        assertThat(Json.MAPPER.readTree(rows.get("l1").path("attributes").asText()).path("note").asText())
                .isEqualTo("one, \"two\"; three");
        assertThat(rows.get("c1").path("type").asText()).isEqualTo("call");
        assertThat(rows.get("c1").path("duration_ms").asLong()).isEqualTo(120_000);
        assertThat(rows.get("c1").path("time_ms").asLong()).isEqualTo(Instant.parse("2026-03-12T10:00:00Z").toEpochMilli());
        assertThat(rows.get("s1").has("tenant_id")).as("the tenant is the caller's").isFalse();

        assertThat(ndjson(export(exporter, "?from=2026-03-01&to=2026-03-31&type=fee").body()).keySet())
                .containsExactly("f1");
        assertThat(ndjson(export(exporter, "?from=2026-03-01&to=2026-03-31&type=call").body()).keySet())
                .containsExactly("c1");
        assertThat(ndjson(export(exporter, "?from=2026-02-01&to=2026-02-01").body()).keySet()).containsExactly("old");
        assertThat(ndjson(export(exporter, "?from=2026-04-01&to=2026-04-02").body())).isEmpty();
    }

    @Test
    void csvReadBackByDuckDbHoldsTheSameValues() throws Exception {
        HttpResponse<byte[]> response = export(exporter, "?from=2026-03-01&to=2026-03-31&format=csv");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Disposition").orElse(""))
                .contains("events-acme-2026-03-01-2026-03-31.csv");
        Path file = files.resolve("events.csv");
        Files.write(file, response.body());
        Map<String, Map<String, Object>> rows = readWithDuckDb("read_csv('" + file + "', header = true, all_varchar = true)");
        Map<String, JsonNode> sent = ndjson(export(exporter, "?from=2026-03-01&to=2026-03-31").body());
        assertThat(rows.keySet()).isEqualTo(sent.keySet());
        assertThat(rows.get("l1").get("agent_id")).isEqualTo("agent \"one\", ok");
        assertThat(rows.get("l1").get("cost_nanos")).isEqualTo("12345678");
        assertThat(String.valueOf(rows.get("l1").get("attributes"))).isEqualTo(sent.get("l1").path("attributes").asText());
        assertThat(rows.get("f1").get("cost_nanos")).isEqualTo("750000000");
    }

    @Test
    void parquetReadBackByDuckDbEqualsTheNdjsonExportOnTheEmbeddedStore() throws Exception {
        HttpResponse<byte[]> response = export(exporter, "?from=2026-03-01&to=2026-03-31&format=parquet");
        if (CLICKHOUSE) {
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(Json.MAPPER.readTree(response.body()).path("field").asText()).isEqualTo("format");
            return;
        }
        assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(200);
        Path file = files.resolve("events.parquet");
        Files.write(file, response.body());
        Map<String, Map<String, Object>> rows = readWithDuckDb("read_parquet('" + file + "')");
        Map<String, JsonNode> sent = ndjson(export(exporter, "?from=2026-03-01&to=2026-03-31").body());
        assertThat(rows.keySet()).isEqualTo(sent.keySet());
        for (Map.Entry<String, Map<String, Object>> row : rows.entrySet()) {
            JsonNode expected = sent.get(row.getKey());
            for (Map.Entry<String, Object> column : row.getValue().entrySet()) {
                JsonNode value = expected.path(column.getKey());
                Object actual = column.getValue();
                if (value.isNull() || value.isMissingNode()) {
                    assertThat(actual).as(row.getKey() + "." + column.getKey()).isNull();
                } else {
                    assertThat(String.valueOf(actual)).as(row.getKey() + "." + column.getKey()).isEqualTo(value.asText());
                }
            }
        }
    }

    @Test
    void badParametersNameTheirFieldAndOnlyExportKeysOfTheTenantExport() throws Exception {
        assertField(export(exporter, "?format=xml"), 400, "format");
        assertField(export(exporter, "?type=banana"), 400, "type");
        assertField(export(exporter, "?from=2026-13-01"), 400, "from");
        assertField(export(exporter, "?from=2026-03-10&to=2026-03-01"), 400, "to");
        assertThat(export(server.createKey("acme", "analytics:read"), "").statusCode()).isEqualTo(403);
        assertThat(export("tly_nonsense", "").statusCode()).isEqualTo(401);
        Map<String, JsonNode> globex = ndjson(export(server.createKey("globex", "export:read"),
                "?from=2026-03-01&to=2026-03-31").body());
        assertThat(globex.keySet()).containsExactly("g1");
    }

    private static void assertField(HttpResponse<byte[]> response, int status, String field) throws IOException {
        assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(status);
        assertThat(Json.MAPPER.readTree(response.body()).path("field").asText()).isEqualTo(field);
    }

    /** Every row by id, each column by name, read by a DuckDB of the test's own. */
    private static Map<String, Map<String, Object>> readWithDuckDb(String relation) throws SQLException {
        Map<String, Map<String, Object>> rows = new HashMap<>();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT * FROM " + relation)) {
            ResultSetMetaData meta = result.getMetaData();
            while (result.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int column = 1; column <= meta.getColumnCount(); column++) {
                    row.put(meta.getColumnLabel(column), result.getObject(column));
                }
                rows.put(String.valueOf(row.get("id")), row);
            }
        }
        return rows;
    }
}
