package dev.tally.integrations.vapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.http.Json;
import dev.tally.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Vapi's server messages against a real server (the pom runs it on DuckDB, on DuckDB read without
 * rollups and on the ClickHouse cluster): the fixtures under {@code dev/tally/integrations/vapi}
 * are written from Vapi's documentation and server SDK types. The cost report of each call must
 * equal Vapi's own numbers to the cent; the expected amounts are summed here from the fixture itself.
 */
class VapiReceiverApiTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-15T12:00:00Z"), ZoneOffset.UTC);
    private static final String SECRET = "vapi-server-secret-acme";
    private static final String ROUTE = "/v1/integrations/vapi/acme";

    private static TestServer server;
    private static String acmeReader;
    private static String acmeWriter;
    private static String globexWriter;

    @BeforeAll
    static void start() {
        server = TestServer.start(CLOCK);
        server.createTenant("acme", "Acme");
        server.createTenant("globex", "Globex");
        acmeReader = server.createKey("acme", "analytics:read");
        acmeWriter = server.createKey("acme", "events:write");
        globexWriter = server.createKey("globex", "events:write");
        HttpResponse<String> set = server.send("PUT", "/admin/tenants/acme/integrations/vapi",
                "{\"secret\": \"" + SECRET + "\"}", "X-Admin-Token", TestServer.ADMIN_TOKEN);
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String fixture(String name) {
        try (InputStream input = VapiReceiverApiTest.class.getResourceAsStream(name)) {
            return new String(input.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    private static HttpResponse<String> post(String body, String... headers) {
        HttpResponse<String> response = server.post(ROUTE, body, headers);
        server.settleWrites();
        return response;
    }

    private static HttpResponse<String> postWithSecret(String body) {
        return post(body, "X-Vapi-Secret", SECRET, "Content-Type", "application/json");
    }

    private static JsonNode cost(String callId) {
        HttpResponse<String> response = server.getWithKey("/v1/analytics/calls/" + callId + "/cost", acmeReader);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestServer.json(response);
    }

    private static void assertMoney(JsonNode node, BigDecimal expected) {
        assertThat(node.isNumber()).as(node.toString()).isTrue();
        assertThat(node.decimalValue()).as(node.toString()).isEqualByComparingTo(expected);
    }

    /** Vapi's costs[] summed by the component Tally reports each type under. */
    private static Map<String, BigDecimal> componentsOf(JsonNode report) {
        Map<String, String> componentOfType = Map.of("transport", "telephony", "transcriber", "stt", "model", "llm",
                "voice", "tts", "vapi", "platform", "analysis", "analysis");
        Map<String, BigDecimal> components = new LinkedHashMap<>();
        for (JsonNode cost : report.path("message").path("costs")) {
            String component = componentOfType.getOrDefault(cost.path("type").asText(), "other");
            components.merge(component, cost.path("cost").decimalValue(), BigDecimal::add);
        }
        return components;
    }

    @Test
    void anEndOfCallReportCostsWhatVapiSaysToTheCentComponentByComponent() throws Exception {
        String body = fixture("end-of-call-report.json");
        JsonNode report = Json.MAPPER.readTree(body);
        String callId = report.path("message").path("call").path("id").asText();

        HttpResponse<String> response = postWithSecret(body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = TestServer.json(response);
        assertThat(answer.path("call_id").asText()).isEqualTo(callId);
        assertThat(answer.path("accepted").asInt()).isEqualTo(report.path("message").path("costs").size());
        JsonNode cost = cost(callId);
        Map<String, BigDecimal> expected = componentsOf(report);
        assertThat(expected).hasSize(7);
        expected.forEach((component, amount) -> assertMoney(cost.path("components").path(component), amount));
        BigDecimal vapiTotal = report.path("message").path("cost").decimalValue();
        assertThat(expected.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add)).isEqualByComparingTo(vapiTotal);
        assertMoney(cost.path("total_cost_usd"), vapiTotal);
        assertMoney(cost.path("reported_total_cost_usd"), vapiTotal);
        assertMoney(cost.path("difference_usd"), BigDecimal.ZERO);
        assertThat(cost.path("agent_id").asText()).isEqualTo("asst-sales");
        assertThat(cost.path("provider").asText()).isEqualTo("vapi");
        assertThat(cost.path("status").asText()).isEqualTo("completed");
        assertThat(Instant.parse(cost.path("started_at").asText())).isEqualTo(Instant.parse("2026-03-10T10:00:00Z"));
        assertMoney(cost.path("duration_seconds"), new BigDecimal("210.5"));
        List<String> ids = new ArrayList<>();
        cost.path("events").forEach(event -> ids.add(event.path("id").asText()));
        assertThat(ids).containsExactlyInAnyOrder(callId + ":stt", callId + ":llm", callId + ":tts",
                callId + ":platform", callId + ":analysis", callId + ":analysis:2", callId + ":other");
        JsonNode llm = event(cost, callId + ":llm");
        assertThat(llm.path("provider").asText()).isEqualTo("openai");
        assertThat(llm.path("model").asText()).isEqualTo("gpt-4o");
        assertThat(event(cost, callId + ":stt").path("model").asText()).isEqualTo("nova-2");
        assertThat(event(cost, callId + ":tts").path("provider").asText()).isEqualTo("11labs");
        assertThat(event(cost, callId + ":platform").path("kind").asText()).isEqualTo("platform");
    }

    private static JsonNode event(JsonNode cost, String id) {
        for (JsonNode event : cost.path("events")) {
            if (event.path("id").asText().equals(id)) {
                return event;
            }
        }
        throw new AssertionError("no event " + id + " in " + cost);
    }

    @Test
    void aRedeliveredReportStoresNoPartTwiceAndChangesNoCost() throws Exception {
        String body = fixture("end-of-call-report.json").replace("c0ffee00-0000-4000-8000-000000000001",
                "c0ffee00-redelivered");
        int costs = Json.MAPPER.readTree(body).path("message").path("costs").size();
        assertThat(postWithSecret(body).statusCode()).isEqualTo(200);
        BigDecimal before = cost("c0ffee00-redelivered").path("total_cost_usd").decimalValue();

        HttpResponse<String> again = postWithSecret(body);

        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        JsonNode answer = TestServer.json(again);
        // every part is a duplicate; the call, sent again, is its own newer state, the same as before (updated)
        assertThat(answer.path("duplicates").asInt()).isEqualTo(costs - 1);
        assertThat(answer.path("accepted").asInt()).isEqualTo(1);
        assertThat(answer.path("results")).filteredOn(item -> item.path("status").asText().equals("updated"))
                .extracting(item -> item.path("id").asText()).containsExactly("c0ffee00-redelivered");
        JsonNode after = cost("c0ffee00-redelivered");
        assertMoney(after.path("total_cost_usd"), before);
        assertThat(after.path("events")).hasSize(costs - 1);
    }

    @Test
    void withoutCostsTheOlderCostBreakdownGivesTheComponents() throws Exception {
        String body = fixture("end-of-call-report-cost-breakdown.json");
        JsonNode call = Json.MAPPER.readTree(body).path("message").path("call");
        JsonNode breakdown = call.path("costBreakdown");

        HttpResponse<String> response = postWithSecret(body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode cost = cost(call.path("id").asText());
        assertMoney(cost.path("components").path("telephony"), breakdown.path("transport").decimalValue());
        assertMoney(cost.path("components").path("stt"), breakdown.path("stt").decimalValue());
        assertMoney(cost.path("components").path("llm"), breakdown.path("llm").decimalValue());
        assertMoney(cost.path("components").path("tts"), breakdown.path("tts").decimalValue());
        assertMoney(cost.path("components").path("platform"), breakdown.path("vapi").decimalValue());
        JsonNode analysis = breakdown.path("analysisCostBreakdown");
        assertMoney(cost.path("components").path("analysis"), analysis.path("summary").decimalValue()
                .add(analysis.path("structuredData").decimalValue()).add(analysis.path("successEvaluation").decimalValue()));
        assertMoney(cost.path("total_cost_usd"), breakdown.path("total").decimalValue());
        assertMoney(cost.path("difference_usd"), BigDecimal.ZERO);
        assertThat(cost.path("agent_id").asText()).isEqualTo("asst-collections");
    }

    @Test
    void otherMessageTypesAreAnsweredAndIgnored() {
        HttpResponse<String> response = postWithSecret(fixture("status-update.json"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(TestServer.json(response).path("ignored").asBoolean()).isTrue();
        assertThat(server.getWithKey("/v1/analytics/calls/c0ffee00-0000-4000-8000-000000000003/cost", acmeReader)
                .statusCode()).isEqualTo(404);
    }

    @Test
    void aBadReportIsRefusedNamingTheVapiFieldAndStoresNothing() throws Exception {
        HttpResponse<String> badCost = postWithSecret(fixture("end-of-call-report-bad-cost.json"));
        assertRefused(badCost, "message.costs[1].cost");
        // the valid transport cost before it was not stored either
        assertThat(server.getWithKey("/v1/analytics/calls/c0ffee00-0000-4000-8000-000000000004/cost", acmeReader)
                .statusCode()).isEqualTo(404);

        ObjectNode report = (ObjectNode) Json.MAPPER.readTree(fixture("end-of-call-report.json"));
        ObjectNode message = (ObjectNode) report.path("message");
        ((ObjectNode) message.path("call")).put("id", "c0ffee00-bad");
        message.put("startedAt", "yesterday");
        assertRefused(postWithSecret(report.toString()), "message.startedAt");
        message.put("startedAt", "2026-03-10T10:00:00Z").put("endedAt", "2026-03-10T09:00:00Z");
        assertRefused(postWithSecret(report.toString()), "message.endedAt");
        message.put("endedAt", "2026-03-10T10:05:00Z");
        ((ObjectNode) message.path("costs").get(2)).put("promptTokens", 12.5);
        assertRefused(postWithSecret(report.toString()), "message.costs[2].promptTokens");
        ((ObjectNode) message.path("costs").get(2)).put("promptTokens", 12).put("cost", -0.01);
        assertRefused(postWithSecret(report.toString()), "message.costs[2].cost");
        ((ObjectNode) message.path("costs").get(2)).put("cost", 0.01);
        message.put("costs", "many");
        assertRefused(postWithSecret(report.toString()), "message.costs");
        message.remove("costs");
        ((ObjectNode) message.path("call")).remove("id");
        assertRefused(postWithSecret(report.toString()), "message.call.id");
        assertRefused(postWithSecret("{\"message\": {\"call\": {}}}"), "message.type");
        assertRefused(postWithSecret("{\"type\": \"end-of-call-report\"}"), "message");
        assertRefused(postWithSecret("[1, 2]"), "body");
        assertRefused(postWithSecret("{\"message\": "), "body");
        assertThat(server.getWithKey("/v1/analytics/calls/c0ffee00-bad/cost", acmeReader).statusCode()).isEqualTo(404);
    }

    private static void assertRefused(HttpResponse<String> response, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = TestServer.json(response);
        assertThat(error.path("field").asText()).as(response.body()).isEqualTo(field);
        assertThat(error.path("reason").asText()).as(response.body()).isNotBlank();
    }

    @Test
    void onlyTheTenantsSecretOrAnEventsWriteKeyOfTheTenantIsLetIn() {
        String ignored = fixture("status-update.json");
        assertThat(post(ignored, "X-Vapi-Secret", SECRET).statusCode()).isEqualTo(200);
        assertThat(post(ignored, "Authorization", "Bearer " + SECRET).statusCode())
                .as("a bearer credential in Vapi sends the secret so").isEqualTo(200);
        assertThat(post(ignored, "Authorization", "Bearer " + acmeWriter).statusCode()).isEqualTo(200);

        assertThat(post(ignored, "X-Vapi-Secret", SECRET + "x").statusCode()).isEqualTo(401);
        assertThat(post(ignored, "X-Vapi-Secret", "").statusCode()).isEqualTo(401);
        assertThat(post(ignored).statusCode()).isEqualTo(401);
        assertThat(post(ignored, "Authorization", "Bearer " + globexWriter).statusCode())
                .as("a key of another tenant").isEqualTo(401);
        assertThat(post(ignored, "Authorization", "Bearer " + acmeReader).statusCode())
                .as("a key of the tenant without events:write").isEqualTo(401);
        assertThat(post(ignored, "Authorization", "Bearer tly_unknown").statusCode()).isEqualTo(401);
        HttpResponse<String> otherTenant = server.post("/v1/integrations/vapi/globex", ignored, "X-Vapi-Secret", SECRET);
        assertThat(otherTenant.statusCode()).as("acme's secret for globex, which has none").isEqualTo(401);
        HttpResponse<String> unknown = server.post("/v1/integrations/vapi/initech", ignored, "X-Vapi-Secret", SECRET);
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(TestServer.json(unknown).path("reason").asText()).isNotBlank();
        // a refused report stores nothing
        assertThat(post(fixture("end-of-call-report.json").replace("c0ffee00-0000-4000-8000-000000000001",
                "c0ffee00-unauthenticated"), "X-Vapi-Secret", "wrong").statusCode()).isEqualTo(401);
        assertThat(server.getWithKey("/v1/analytics/calls/c0ffee00-unauthenticated/cost", acmeReader).statusCode())
                .isEqualTo(404);
    }
}
