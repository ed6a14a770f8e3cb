package dev.tally.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.http.CsvTable;
import dev.tally.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Text a spreadsheet would run as a formula reaches every CSV download as text: an agent id, a
 * model or a member id that starts with =, +, -, @ gets OWASP's leading apostrophe, and numbers,
 * negative ones too, stay numbers.
 */
class CsvInjectionApiTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-15T12:00:00Z"), ZoneOffset.UTC);
    private static final List<String> FORMULAS = List.of("=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1",
            "-2+3", "@SUM(A1)");

    @Test
    void everyCsvNeutralisesFormulaCells() {
        try (TestServer server = TestServer.start(CLOCK)) {
            server.createTenant("acme", "Acme");
            String key = server.createKey("acme", "events:write", "analytics:read", "members:read");
            String platform = server.createKey(null, "analytics:read", "super-admin");
            StringBuilder events = new StringBuilder("[");
            for (int index = 0; index < FORMULAS.size(); index++) {
                String formula = FORMULAS.get(index).replace("\"", "\\\"");
                events.append(index == 0 ? "" : ",")
                        .append("{\"id\":\"call-").append(index).append("\",\"type\":\"call\",\"status\":\"completed\",")
                        .append("\"time\":\"2026-03-14T10:00:00Z\",\"ended_at\":\"2026-03-14T10:01:00Z\",\"agent_id\":\"")
                        .append(formula).append("\"},")
                        .append("{\"id\":\"llm-").append(index).append("\",\"type\":\"llm\",\"time\":\"2026-03-14T10:00:00Z\",")
                        .append("\"ended_at\":\"2026-03-14T10:00:01Z\",\"model\":\"").append(formula)
                        .append("\",\"provider\":\"").append(formula).append("\",\"agent_id\":\"").append(formula)
                        .append("\",\"member_id\":\"").append(formula).append("\",\"call_id\":\"call-").append(index)
                        .append("\",\"input_tokens\":10,\"output_tokens\":5},")
                        .append("{\"id\":\"chat-").append(index).append("\",\"type\":\"chat\",\"time\":\"2026-03-14T10:00:00Z\",")
                        .append("\"member_id\":\"").append(formula).append("\"}");
            }
            assertThat(server.ingest(key, events.append("]").toString()).path("rejected").asInt()).isZero();

            Map<String, HttpResponse<String>> downloads = Map.of(
                    "spend", server.get("/v1/analytics/spend?from=2026-03-01&to=2026-03-15&format=csv",
                            "Authorization", "Bearer " + key),
                    "tokens", server.get("/admin/analytics/tokens/by-assistant?start_date=2026-03-01&format=csv",
                            "Authorization", "Bearer " + platform),
                    "ai usage", server.get("/api/v2/w/acme/reports/ai-usage?start_date=2026-03-01&end_date=2026-03-15"
                            + "&format=csv", "Authorization", "Bearer " + key),
                    "members", server.get("/api/v2/w/acme/members?format=csv", "Authorization", "Bearer " + key));
            List<String> formulaCells = new ArrayList<>();
            for (Map.Entry<String, HttpResponse<String>> download : downloads.entrySet()) {
                HttpResponse<String> response = download.getValue();
                assertThat(response.statusCode()).as(download.getKey() + " " + response.body()).isEqualTo(200);
                if (!download.getKey().equals("spend")) {
                    // the spend CSV is days and sums; the others name agents, models and members
                    assertThat(response.body()).as(download.getKey()).contains("'");
                }
                for (String line : response.body().split("\r\n")) {
                    for (String cell : cells(line)) {
                        if (!cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0
                                && !cell.matches("-?[0-9]+(\\.[0-9]+)?")) {
                            formulaCells.add(download.getKey() + ": " + cell);
                        }
                    }
                }
            }
            assertThat(formulaCells).isEmpty();
            assertThat(downloads.get("tokens").body()).contains("'=HYPERLINK(");
        }
    }

    @Test
    void tabsCarriageReturnsAndNegativeNumbers() {
        String csv = new CsvTable(List.of("a", "b", "c", "d", "e")).row(List.of("\tx", "\rx", "-1.5", -2, "a-b"))
                .render();
        assertThat(csv.split("\r\n", 2)[1]).isEqualTo("'\tx,\"'\rx\",-1.5,-2,a-b\r\n");
    }

    /** The cells of one RFC 4180 line, unquoted. */
    private static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int index = 0; index < line.length(); index++) {
            char character = line.charAt(index);
            if (quoted && character == '"' && index + 1 < line.length() && line.charAt(index + 1) == '"') {
                cell.append('"');
                index++;
            } else if (character == '"') {
                quoted = !quoted;
            } else if (character == ',' && !quoted) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(character);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
