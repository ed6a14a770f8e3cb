package dev.tally.integrations.retell;

import static dev.tally.integrations.retell.RetellWebhooks.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.http.Json;
import dev.tally.store.json.AttributesJson;
import dev.tally.store.sql.RawTable;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.SqlBuilder;
import dev.tally.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Retell's webhooks against a real server (the pom runs it on DuckDB, on DuckDB read without rollups
 * and on the ClickHouse cluster): the fixtures under {@code dev/tally/integrations/retell} are written
 * from the {@code retell-sdk} package's call types. The cost report of each call must equal Retell's
 * own numbers, in cents, to the cent; the expected amounts are summed here from the fixture itself.
 */
class RetellReceiverApiTest {
    private static final String CALL_ID = "Jabr9TXYYJHfvl6Syypi88rdAHYHmcq6";
    /** The fixture's products by the component the README documents each under. */
    private static final Map<String, String> COMPONENT_OF_PRODUCT = Map.of("elevenlabs_tts", "tts",
            "gpt_4o_mini", "llm", "retell_twilio", "telephony", "knowledge_base", "other");

    private static TestServer server;
    private static RetellWebhooks webhooks;
    private static String acmeReader;

    @BeforeAll
    static void start() {
        server = RetellWebhooks.startServer();
        webhooks = new RetellWebhooks(server);
        acmeReader = server.createKey("acme", "analytics:read");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static ObjectNode webhook(String fixture, String callId) {
        try {
            ObjectNode webhook = (ObjectNode) Json.MAPPER.readTree(fixture(fixture));
            call(webhook).put("call_id", callId);
            return webhook;
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    private static ObjectNode call(ObjectNode webhook) {
        return (ObjectNode) webhook.path("call");
    }

    private static JsonNode post(ObjectNode webhook) {
        HttpResponse<String> response = webhooks.post(webhook.toString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestServer.json(response);
    }

    private static JsonNode cost(String callId) {
        return webhooks.cost(callId, acmeReader);
    }

    private static BigDecimal dollars(JsonNode cents) {
        return cents.decimalValue().movePointLeft(2);
    }

    /** Retell's product costs, in cents, summed as dollars by component. */
    private static Map<String, BigDecimal> componentsOf(JsonNode webhook) {
        Map<String, BigDecimal> components = new LinkedHashMap<>();
        for (JsonNode product : webhook.path("call").path("call_cost").path("product_costs")) {
            components.merge(COMPONENT_OF_PRODUCT.get(product.path("product").asText()), dollars(product.path("cost")),
                    BigDecimal::add);
        }
        return components;
    }

    private static void assertMoney(JsonNode node, BigDecimal expected) {
        assertThat(node.isNumber()).as(node.toString()).isTrue();
        assertThat(node.decimalValue()).as(node.toString()).isEqualByComparingTo(expected);
    }

    private static void assertCostsWhatRetellSays(JsonNode webhook) {
        JsonNode cost = cost(webhook.path("call").path("call_id").asText());
        Map<String, BigDecimal> expected = componentsOf(webhook);
        expected.forEach((component, amount) -> assertMoney(cost.path("components").path(component), amount));
        cost.path("components").fields().forEachRemaining(component -> {
            if (!expected.containsKey(component.getKey())) {
                assertMoney(component.getValue(), BigDecimal.ZERO);
            }
        });
        BigDecimal combined = dollars(webhook.path("call").path("call_cost").path("combined_cost"));
        assertThat(expected.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add)).isEqualByComparingTo(combined);
        assertMoney(cost.path("total_cost_usd"), combined);
        assertMoney(cost.path("reported_total_cost_usd"), combined);
        assertMoney(cost.path("difference_usd"), BigDecimal.ZERO);
    }

    private static List<String> statuses(JsonNode answer) {
        List<String> statuses = new ArrayList<>();
        answer.path("results").forEach(item -> statuses.add(item.path("id").asText() + " " + item.path("status").asText()));
        return statuses;
    }

    @Test
    void aCallEndedCostsWhatRetellSaysToTheCentComponentByComponent() throws Exception {
        JsonNode webhook = Json.MAPPER.readTree(fixture("call-ended.json"));

        JsonNode answer = post((ObjectNode) webhook);

        assertThat(answer.path("event").asText()).isEqualTo("call_ended");
        JsonNode documented = TestServer.json(server.get("/openapi.json")).path("components").path("schemas")
                .path("RetellAnswer").path("properties");
        answer.fieldNames().forEachRemaining(field -> assertThat(documented.has(field)).as(field).isTrue());
        assertThat(answer.path("call_id").asText()).isEqualTo(CALL_ID);
        assertThat(answer.path("accepted").asInt()).as("the call, tts, llm and the other fee").isEqualTo(4);
        assertCostsWhatRetellSays(webhook);
        JsonNode cost = cost(CALL_ID);
        assertMoney(cost.path("components").path("telephony"), new BigDecimal("0.046835"));
        assertMoney(cost.path("total_cost_usd"), new BigDecimal("0.299748"));
        assertThat(cost.path("agent_id").asText()).isEqualTo("oBeDLoLOeuAbiuaMFXRtDOLriTJ5tSxD");
        assertThat(cost.path("provider").asText()).isEqualTo("retell");
        assertThat(cost.path("status").asText()).isEqualTo("completed");
        assertThat(Instant.parse(cost.path("started_at").asText())).isEqualTo(Instant.ofEpochMilli(1773136800000L));
        assertMoney(cost.path("duration_seconds"), new BigDecimal("187.34"));
        List<String> events = new ArrayList<>();
        cost.path("events").forEach(event -> events.add(event.path("id").asText() + " " + event.path("type").asText()
                + " " + (event.path("model").isTextual() ? event.path("model").asText() : event.path("kind").asText())));
        assertThat(events).containsExactlyInAnyOrder(CALL_ID + ":tts tts elevenlabs_tts",
                CALL_ID + ":llm llm gpt_4o_mini", CALL_ID + ":other fee other");
    }

    @Test
    void centsBecomeDollarsExactly() {
        ObjectNode webhook = webhook("call-ended.json", "retell-cents");
        ArrayNode products = (ArrayNode) call(webhook).path("call_cost").path("product_costs");
        ((ObjectNode) products.get(0)).put("cost", new BigDecimal("0.1"));
        ((ObjectNode) products.get(1)).put("cost", new BigDecimal("0.2"));
        ((ObjectNode) products.get(2)).put("cost", new BigDecimal("1234.5678"));
        ((ObjectNode) products.get(3)).put("cost", new BigDecimal("0.0001"));
        ((ObjectNode) call(webhook).path("call_cost")).put("combined_cost", new BigDecimal("1234.8679"));

        post(webhook);

        JsonNode cost = cost("retell-cents");
        assertMoney(cost.path("components").path("tts"), new BigDecimal("0.001"));
        assertMoney(cost.path("components").path("llm"), new BigDecimal("0.002"));
        assertMoney(cost.path("components").path("telephony"), new BigDecimal("12.345678"));
        assertMoney(cost.path("components").path("other"), new BigDecimal("0.000001"));
        assertMoney(cost.path("total_cost_usd"), new BigDecimal("12.348679"));
        assertMoney(cost.path("difference_usd"), BigDecimal.ZERO);
    }

    @Test
    void aCallAnalyzedAfterItsCallEndedReplacesItAsAHigherRevision() {
        ObjectNode ended = webhook("call-ended.json", "retell-analyzed-later");
        call(ended).put("agent_id", "agent-analyzed-later");
        ObjectNode analyzed = webhook("call-analyzed.json", "retell-analyzed-later");
        call(analyzed).put("agent_id", "agent-analyzed-later");
        // the analysis's numbers differ, so the report shows which version stands
        ((ObjectNode) call(analyzed).path("call_cost").path("product_costs").get(0)).put("cost", new BigDecimal("22.1"));
        ((ObjectNode) call(analyzed).path("call_cost")).put("combined_cost", new BigDecimal("30.2181"));
        assertThat(post(ended).path("revision").asInt()).isEqualTo(1);

        JsonNode answer = post(analyzed);

        assertThat(answer.path("revision").asInt()).isEqualTo(2);
        assertThat(answer.path("accepted").asInt()).isEqualTo(4);
        assertThat(statuses(answer)).containsExactlyInAnyOrder("retell-analyzed-later updated",
                "retell-analyzed-later:tts updated", "retell-analyzed-later:llm updated",
                "retell-analyzed-later:other updated");
        assertCostsWhatRetellSays(analyzed);
        assertMoney(cost("retell-analyzed-later").path("components").path("tts"), new BigDecimal("0.221"));
        assertThat(sentiments("agent-analyzed-later")).isEqualTo("{\"positive\":1,\"neutral\":0,\"negative\":0,\"unknown\":0}");
    }

    /** The spend overview's sentiment distribution for one agent's calls of the fixture's day. */
    private static String sentiments(String agentId) {
        HttpResponse<String> response = server.getWithKey("/v1/analytics/spend?from=2026-03-10&to=2026-03-10&agent_id="
                + agentId, acmeReader);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestServer.json(response).path("sentiment_distribution").toString();
    }

    @Test
    void anAnalysisBeforeItsCallStandsWhenTheLateCallEndedArrives() {
        ObjectNode analyzed = webhook("call-analyzed.json", "retell-analyzed-first");
        call(analyzed).put("agent_id", "agent-analyzed-first");
        ObjectNode ended = webhook("call-ended.json", "retell-analyzed-first");
        call(ended).put("agent_id", "agent-analyzed-first");
        ((ObjectNode) call(ended).path("call_cost").path("product_costs").get(0)).put("cost", new BigDecimal("1"));
        ((ObjectNode) call(ended).path("call_cost")).put("combined_cost", new BigDecimal("9.1181"));
        assertThat(post(analyzed).path("accepted").asInt()).isEqualTo(4);

        JsonNode late = post(ended);

        assertThat(late.path("accepted").asInt()).isZero();
        assertThat(late.path("duplicates").asInt()).isEqualTo(4);
        assertThat(statuses(late)).containsExactlyInAnyOrder("retell-analyzed-first stale",
                "retell-analyzed-first:tts stale", "retell-analyzed-first:llm stale", "retell-analyzed-first:other stale");
        assertCostsWhatRetellSays(analyzed);
        assertThat(sentiments("agent-analyzed-first")).isEqualTo("{\"positive\":1,\"neutral\":0,\"negative\":0,\"unknown\":0}");
    }

    @Test
    void aRedeliveredWebhookStoresNoPartTwiceAndChangesNoCost() {
        for (String fixture : List.of("call-ended.json", "call-analyzed.json")) {
            ObjectNode webhook = webhook(fixture, "retell-redelivered");
            JsonNode first = post(webhook);
            BigDecimal before = cost("retell-redelivered").path("total_cost_usd").decimalValue();

            JsonNode again = post(webhook);

            assertThat(first.path("accepted").asInt()).as(fixture).isEqualTo(4);
            // every part is a duplicate; the call, sent again, is its own newer state, the same as before (updated)
            assertThat(again.path("duplicates").asInt()).as(fixture).isEqualTo(3);
            assertThat(statuses(again)).as(fixture).containsExactlyInAnyOrder("retell-redelivered updated",
                    "retell-redelivered:tts duplicate", "retell-redelivered:llm duplicate",
                    "retell-redelivered:other duplicate");
            JsonNode after = cost("retell-redelivered");
            assertMoney(after.path("total_cost_usd"), before);
            assertThat(after.path("events")).hasSize(3);
        }
    }

    @Test
    void otherEventsAreAnsweredAndIgnored() {
        HttpResponse<String> response = webhooks.post(fixture("call-started.json"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(TestServer.json(response).toString()).isEqualTo("{\"event\":\"call_started\",\"ignored\":true}");
        assertThat(webhooks.stored("Jabr9TXYYJHfvl6Syypi88rdAHYHmcq7", acmeReader)).isFalse();
    }

    @Test
    void aCallThatFailedOrNeverConnectedIsStoredWithItsReason() {
        ObjectNode webhook = webhook("call-ended.json", "retell-dial-failed");
        call(webhook).put("disconnection_reason", "dial_failed").remove(List.of("start_timestamp", "duration_ms"));
        call(webhook).remove("call_cost");

        post(webhook);

        JsonNode cost = cost("retell-dial-failed");
        assertThat(cost.path("status").asText()).isEqualTo("failed");
        assertThat(Instant.parse(cost.path("started_at").asText())).isEqualTo(Instant.ofEpochMilli(1773136987340L));
        assertMoney(cost.path("duration_seconds"), BigDecimal.ZERO);
        assertThat(cost.path("events")).isEmpty();
    }

    @Test
    void aBadWebhookIsRefusedNamingTheRetellFieldAndStoresNothing() {
        ObjectNode webhook = webhook("call-ended.json", "retell-bad");
        ArrayNode products = (ArrayNode) call(webhook).path("call_cost").path("product_costs");
        ((ObjectNode) products.get(2)).put("cost", -1);
        assertRefused(webhook, "call.call_cost.product_costs[2].cost");
        ((ObjectNode) products.get(2)).put("cost", "4.68");
        assertRefused(webhook, "call.call_cost.product_costs[2].cost");
        ((ObjectNode) products.get(2)).remove("cost");
        assertRefused(webhook, "call.call_cost.product_costs[2].cost");
        ((ObjectNode) products.get(2)).put("cost", 4.6835).remove("product");
        assertRefused(webhook, "call.call_cost.product_costs[2].product");
        ((ObjectNode) products.get(2)).put("product", "retell_twilio");
        products.add("many");
        assertRefused(webhook, "call.call_cost.product_costs[4]");
        products.remove(4);
        ((ObjectNode) call(webhook).path("call_cost")).put("combined_cost", 1e12);
        assertRefused(webhook, "call.call_cost.combined_cost");
        ((ObjectNode) call(webhook).path("call_cost")).put("combined_cost", 29.9748);
        call(webhook).put("start_timestamp", "yesterday");
        assertRefused(webhook, "call.start_timestamp");
        call(webhook).put("start_timestamp", 946684799999L);
        assertRefused(webhook, "call.start_timestamp");
        call(webhook).put("start_timestamp", 1773136800000L).put("end_timestamp", 1773136700000L);
        assertRefused(webhook, "call.end_timestamp");
        call(webhook).put("end_timestamp", 1773136987340L).put("duration_ms", 12.5);
        assertRefused(webhook, "call.duration_ms");
        call(webhook).put("duration_ms", 187340).put("agent_id", "a\u0000b");
        assertRefused(webhook, "call.agent_id");
        call(webhook).put("agent_id", "agent").remove("call_id");
        assertRefused(webhook, "call.call_id");
        assertRefused(Json.MAPPER.createObjectNode().put("event", "call_ended"), "call");
        assertRefused(Json.MAPPER.createObjectNode().set("call", call(webhook)), "event");
        assertRefusedText("[1, 2]", "body");
        assertRefusedText("{\"event\": ", "body");
        assertThat(webhooks.stored("retell-bad", acmeReader)).isFalse();
    }

    @Test
    void metadataTextsBecomeAttributesOfTheCallAndEveryPart() {
        post(webhook("call-ended.json", "retell-metadata"));

        // the fixture's metadata: two texts and a number, which is no attribute
        assertThat(attributes(RawTable.CALLS, "retell-metadata"))
                .isEqualTo(Map.of("campaign", "spring-demo", "customer_id", "cus_8841"));
        assertThat(attributes(RawTable.EVENTS, "retell-metadata:tts")).isEqualTo(Map.of("campaign", "spring-demo",
                "customer_id", "cus_8841", "retell_product", "elevenlabs_tts"));
    }

    @Test
    void unknownFieldsAndOddMetadataAreIgnored() {
        ObjectNode webhook = webhook("call-ended.json", "retell-odd");
        call(webhook).put("a_field_retell_adds_later", "x").putObject("metadata").put("note", "line\none")
                .put("long", "v".repeat(300)).put("kept", "yes").putArray("tags").add("vip");
        call(webhook).put("direction", "sideways").putObject("call_analysis").put("user_sentiment", "Unknown");

        post(webhook);

        assertCostsWhatRetellSays(webhook);
        assertThat(attributes(RawTable.CALLS, "retell-odd")).isEqualTo(Map.of("kept", "yes"));
    }

    /** The stored attributes of one row of a raw table. */
    private static Map<String, String> attributes(RawTable table, String id) {
        List<Row> rows = server.tally().events().query(new SqlBuilder().append("SELECT attributes FROM "
                + server.tally().events().rows(table) + "id = ").value(id).build());
        assertThat(rows).hasSize(1);
        return AttributesJson.read(rows.get(0).string("attributes"));
    }

    private static void assertRefused(ObjectNode webhook, String field) {
        assertRefusedText(webhook.toString(), field);
    }

    private static void assertRefusedText(String body, String field) {
        HttpResponse<String> response = webhooks.post(body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = TestServer.json(response);
        assertThat(error.path("field").asText()).as(response.body()).isEqualTo(field);
        assertThat(error.path("reason").asText()).as(response.body()).isNotBlank();
    }
}
