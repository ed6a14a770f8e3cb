package dev.tally.report.callcost;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.http.Json;
import dev.tally.testing.TestServer;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cost of a call, sent as its parts, against a real server (the pom runs it on DuckDB with and
 * without its rollups and on the ClickHouse cluster). Tenant acme, range 2026-03-10..2026-03-12:
 *
 * <pre>
 * k1  03-10 10:00 sales    twilio  120 s  carrier 0.0268, reported 0.40
 *     parts sent BEFORE the call: llm 0.012345678 + 0.1, stt 0.0425, tts 0.03,
 *     fees platform 0.05, analysis 0.02, transport 0.005; then in progress, then completed
 * k2  03-11 09:00 support  telnyx   60 s  carrier 0.01, reported 0.0300001 (within a cent)
 *     parts: llm 0.02, an unpriced llm (no cost, no price)
 * k3  first at 03-09 23:00 (out of range), then completed at 03-12 09:00: it moved, counted once
 *     30 s, carrier 0.5, parts: tts 0.25
 * </pre>
 *
 * Globex has a call of the same id k1 (carrier 9.99) and a call g-only, neither of which acme sees.
 */
class CallCostApiTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-15T12:00:00Z"), ZoneOffset.UTC);
    private static final String RANGE = "from=2026-03-10&to=2026-03-12";

    private static TestServer server;
    private static String acmeKey;

    @BeforeAll
    static void fixture() {
        server = TestServer.start(CLOCK);
        server.createTenant("acme", "Acme");
        server.createTenant("globex", "Globex");
        acmeKey = server.createKey("acme", "analytics:read", "events:write");
        String globexKey = server.createKey("globex", "analytics:read", "events:write");
        server.ingest(acmeKey, array(
                part("l1", "llm", "2026-03-10T10:00:05Z", "k1", "0.012345678").put("provider", "openai")
                        .put("model", "gpt-4o").put("input_tokens", 10).put("output_tokens", 5),
                part("l2", "llm", "2026-03-10T10:01:00Z", "k1", "0.1").put("provider", "openai").put("model", "gpt-4o"),
                part("s1", "stt", "2026-03-10T10:00:01Z", "k1", "0.0425").put("provider", "deepgram")
                        .put("model", "nova-2").put("duration_seconds", 120),
                part("t1", "tts", "2026-03-10T10:00:02Z", "k1", "0.03").put("provider", "elevenlabs")
                        .put("model", "turbo").put("characters", 900),
                fee("f1", "k1", "platform", "0.05"), fee("f2", "k1", "analysis", "0.02"),
                fee("f3", "k1", "transport", "0.005")));
        server.ingest(acmeKey, array(call("k1", "2026-03-10T10:00:00Z", "sales", "twilio", "in_progress", null, null,
                null)));
        server.ingest(acmeKey, array(
                call("k1", "2026-03-10T10:00:00Z", "sales", "twilio", "completed", "120", "0.0268", "0.40"),
                call("k2", "2026-03-11T09:00:00Z", "support", "telnyx", "completed", "60", "0.01", "0.0300001"),
                part("l3", "llm", "2026-03-11T09:00:10Z", "k2", "0.02").put("provider", "openai").put("model", "gpt-4o"),
                part("l4", "llm", "2026-03-11T09:00:20Z", "k2", null).put("provider", "ghost-ai").put("model", "ghost-1")
                        .put("input_tokens", 100),
                call("k3", "2026-03-09T23:00:00Z", "sales", "twilio", "in_progress", null, null, null)));
        server.ingest(acmeKey, array(
                call("k3", "2026-03-12T09:00:00Z", "sales", "twilio", "completed", "30", "0.5", null),
                part("t2", "tts", "2026-03-12T09:00:05Z", "k3", "0.25").put("provider", "elevenlabs")
                        .put("model", "turbo").put("characters", 100)));
        // a text sent during a call, on a day no range of these tests covers
        server.ingest(acmeKey, array(
                call("k-text", "2026-02-02T09:00:00Z", "sales", "twilio", "completed", "60", "0.013", null),
                part("x1", "sms", "2026-02-02T09:00:30Z", "k-text", "0.0079").put("direction", "outbound")
                        .put("phone_number", "+14155550100").put("body", "Your booking is confirmed")));
        server.ingest(globexKey, array(
                call("k1", "2026-03-10T11:00:00Z", "sales", "twilio", "completed", "100", "9.99", null),
                call("g-only", "2026-03-10T12:00:00Z", "sales", "twilio", "completed", "10", "1", null)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String array(ObjectNode... events) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (ObjectNode event : events) {
            array.add(event);
        }
        return array.toString();
    }

    private static ObjectNode call(String id, String time, String agent, String provider, String status,
                                   String seconds, String cost, String reported) {
        ObjectNode call = Json.MAPPER.createObjectNode().put("id", id).put("type", "call").put("time", time)
                .put("status", status).put("agent_id", agent).put("provider", provider);
        if (seconds != null) {
            BigDecimal duration = new BigDecimal(seconds);
            call.put("duration_seconds", duration).put("ended_at",
                    Instant.parse(time).plusMillis(duration.movePointRight(3).longValueExact()).toString());
        }
        if (cost != null) {
            call.put("cost_usd", new BigDecimal(cost));
        }
        if (reported != null) {
            call.put("reported_total_cost_usd", new BigDecimal(reported));
        }
        return call;
    }

    private static ObjectNode part(String id, String type, String time, String callId, String cost) {
        ObjectNode part = Json.MAPPER.createObjectNode().put("id", id).put("type", type).put("time", time)
                .put("call_id", callId);
        if (cost != null) {
            part.put("cost_usd", new BigDecimal(cost));
        }
        return part;
    }

    private static ObjectNode fee(String id, String callId, String kind, String cost) {
        return part(id, "fee", "2026-03-10T10:03:00Z", callId, cost).put("kind", kind).put("provider", "vapi");
    }

    private static JsonNode get(String path) {
        HttpResponse<String> response = server.getWithKey(path, acmeKey);
        assertThat(response.statusCode()).as(path + " → " + response.body()).isEqualTo(200);
        return TestServer.json(response);
    }

    private static BigDecimal sum(String... amounts) {
        BigDecimal sum = BigDecimal.ZERO;
        for (String amount : amounts) {
            sum = sum.add(new BigDecimal(amount));
        }
        return sum;
    }

    private static void assertMoney(JsonNode node, BigDecimal expected) {
        assertThat(node.isNumber()).as(node.toString()).isTrue();
        assertThat(node.decimalValue()).as(node.toString()).isEqualByComparingTo(expected);
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void aCallSentAsItsPartsCostsTheSumOfItsPartsToTheCent() {
        JsonNode body = get("/v1/analytics/calls/k1/cost");
        assertThat(names(body)).containsExactly("call_id", "agent_id", "provider", "status", "started_at",
                "duration_seconds", "components", "total_cost_usd", "reported_total_cost_usd", "difference_usd",
                "unpriced_events", "events");
        assertThat(body.path("call_id").asText()).isEqualTo("k1");
        assertThat(body.path("agent_id").asText()).isEqualTo("sales");
        assertThat(body.path("provider").asText()).isEqualTo("twilio");
        assertThat(body.path("status").asText()).isEqualTo("completed");
        assertThat(Instant.parse(body.path("started_at").asText())).isEqualTo(Instant.parse("2026-03-10T10:00:00Z"));
        assertMoney(body.path("duration_seconds"), new BigDecimal("120"));
        JsonNode components = body.path("components");
        assertThat(names(components)).containsExactly("telephony", "stt", "llm", "tts", "sms", "platform", "analysis",
                "transport");
        assertMoney(components.path("telephony"), new BigDecimal("0.0268"));
        assertMoney(components.path("llm"), sum("0.012345678", "0.1").setScale(6, java.math.RoundingMode.HALF_UP));
        assertMoney(components.path("stt"), new BigDecimal("0.0425"));
        assertMoney(components.path("tts"), new BigDecimal("0.03"));
        assertMoney(components.path("sms"), BigDecimal.ZERO);
        assertMoney(components.path("platform"), new BigDecimal("0.05"));
        assertMoney(components.path("analysis"), new BigDecimal("0.02"));
        assertMoney(components.path("transport"), new BigDecimal("0.005"));
        BigDecimal total = sum("0.0268", "0.012345678", "0.1", "0.0425", "0.03", "0.05", "0.02", "0.005");
        assertMoney(body.path("total_cost_usd"), total.setScale(6, java.math.RoundingMode.HALF_UP));
        assertMoney(body.path("reported_total_cost_usd"), new BigDecimal("0.40"));
        assertMoney(body.path("difference_usd"), new BigDecimal("0.40").subtract(total)
                .setScale(6, java.math.RoundingMode.HALF_UP));
        assertThat(body.path("unpriced_events").asLong()).isZero();
        List<String> ids = new ArrayList<>();
        body.path("events").forEach(event -> ids.add(event.path("id").asText()));
        // in time order
        assertThat(ids).containsExactly("s1", "t1", "l1", "l2", "f1", "f2", "f3");
        JsonNode stt = body.path("events").get(0);
        assertThat(stt.path("type").asText()).isEqualTo("stt");
        assertThat(stt.path("provider").asText()).isEqualTo("deepgram");
        assertThat(stt.path("model").asText()).isEqualTo("nova-2");
        assertMoney(stt.path("cost_usd"), new BigDecimal("0.0425"));
        assertThat(body.path("events").get(4).path("kind").asText()).isEqualTo("platform");
    }

    @Test
    void aTextSentDuringACallIsItsSmsComponent() {
        JsonNode body = get("/v1/analytics/calls/k-text/cost");

        assertMoney(body.path("components").path("sms"), new BigDecimal("0.0079"));
        assertMoney(body.path("components").path("telephony"), new BigDecimal("0.013"));
        assertMoney(body.path("total_cost_usd"), new BigDecimal("0.0209"));
        assertThat(body.path("events").get(0).path("type").asText()).isEqualTo("sms");
    }

    @Test
    void unpricedEventsAreCountedAndAReportedTotalWithinACentIsNoMismatch() {
        JsonNode body = get("/v1/analytics/calls/k2/cost");
        assertThat(body.path("unpriced_events").asLong()).isEqualTo(1);
        assertThat(names(body.path("components"))).containsExactly("telephony", "stt", "llm", "tts", "sms");
        assertMoney(body.path("total_cost_usd"), new BigDecimal("0.03"));
        assertMoney(body.path("difference_usd"), new BigDecimal("0.0000001").setScale(6,
                java.math.RoundingMode.HALF_UP));
        JsonNode range = get("/v1/analytics/call-costs?" + RANGE);
        List<String> mismatched = new ArrayList<>();
        range.path("mismatched_calls").forEach(call -> mismatched.add(call.path("call_id").asText()));
        assertThat(mismatched).containsExactly("k1");
        assertThat(range.path("totals").path("unpriced_events").asLong()).isEqualTo(1);
    }

    @Test
    void aCallThatMovedIsCountedOnceOnTheDayItNowStarts() {
        JsonNode body = get("/v1/analytics/calls/k3/cost");
        assertThat(Instant.parse(body.path("started_at").asText())).isEqualTo(Instant.parse("2026-03-12T09:00:00Z"));
        assertMoney(body.path("total_cost_usd"), new BigDecimal("0.75"));
        JsonNode range = get("/v1/analytics/call-costs?from=2026-03-09&to=2026-03-12");
        assertThat(range.path("totals").path("calls").asLong()).isEqualTo(3);
        assertThat(range.path("by_day").get(0).path("date").asText()).isEqualTo("2026-03-09");
        assertMoney(range.path("by_day").get(0).path("total_cost_usd"), BigDecimal.ZERO);
        assertMoney(range.path("by_day").get(3).path("total_cost_usd"), new BigDecimal("0.75"));
    }

    @Test
    void theRangeAddsEveryCallsPartsByDayAndAgent() {
        JsonNode body = get("/v1/analytics/call-costs?" + RANGE);
        assertThat(names(body)).containsExactly("from", "to", "totals", "by_day", "by_agent", "calls",
                "mismatched_calls");
        JsonNode totals = body.path("totals");
        assertThat(totals.path("calls").asLong()).isEqualTo(3);
        assertMoney(totals.path("minutes"), new BigDecimal("3.5"));
        BigDecimal total = sum("0.0268", "0.012345678", "0.1", "0.0425", "0.03", "0.05", "0.02", "0.005",
                "0.01", "0.02", "0.5", "0.25");
        assertMoney(totals.path("total_cost_usd"), total.setScale(6, java.math.RoundingMode.HALF_UP));
        assertMoney(totals.path("cost_per_minute_usd"), total.divide(new BigDecimal("3.5"), 6,
                java.math.RoundingMode.HALF_UP));
        assertMoney(totals.path("components").path("tts"), new BigDecimal("0.28"));
        assertMoney(totals.path("components").path("telephony"), new BigDecimal("0.5368"));
        assertThat(body.path("by_day")).hasSize(3);
        assertMoney(body.path("by_day").get(1).path("total_cost_usd"), new BigDecimal("0.03"));
        assertThat(names(body.path("by_day").get(1).path("components"))).contains("platform", "analysis",
                "transport");
        List<String> agents = new ArrayList<>();
        body.path("by_agent").forEach(agent -> agents.add(agent.path("agent_id").asText()));
        assertThat(agents).containsExactly("sales", "support");
        assertThat(body.path("by_agent").get(0).path("calls").asLong()).isEqualTo(2);
        List<String> calls = new ArrayList<>();
        body.path("calls").forEach(call -> calls.add(call.path("call_id").asText()));
        assertThat(calls).containsExactly("k3", "k1", "k2");
        assertThat(body.path("calls").get(0).has("events")).isFalse();
    }

    @Test
    void ordersLimitsAndAgentsNarrowTheList() {
        List<String> calls = new ArrayList<>();
        get("/v1/analytics/call-costs?" + RANGE + "&order=cost_asc&limit=2").path("calls")
                .forEach(call -> calls.add(call.path("call_id").asText()));
        assertThat(calls).containsExactly("k2", "k1");
        calls.clear();
        get("/v1/analytics/call-costs?" + RANGE + "&order=started_desc").path("calls")
                .forEach(call -> calls.add(call.path("call_id").asText()));
        assertThat(calls).containsExactly("k3", "k2", "k1");
        JsonNode support = get("/v1/analytics/call-costs?" + RANGE + "&agent_id=support");
        assertThat(support.path("totals").path("calls").asLong()).isEqualTo(1);
        assertMoney(support.path("totals").path("total_cost_usd"), new BigDecimal("0.03"));
    }

    @Test
    void anotherTenantsCallIsNotFoundAndItsSameIdIsNotAdded() {
        HttpResponse<String> response = server.getWithKey("/v1/analytics/calls/g-only/cost", acmeKey);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(TestServer.json(response).toString()).contains("call_id");
        assertThat(server.getWithKey("/v1/analytics/calls/nope/cost", acmeKey).statusCode()).isEqualTo(404);
        assertMoney(get("/v1/analytics/calls/k1/cost").path("components").path("telephony"), new BigDecimal("0.0268"));
    }

    @Test
    void badParametersAreRefusedNamingThem() {
        for (String[] bad : new String[][] {{"limit=0", "limit"}, {"limit=1001", "limit"}, {"limit=ten", "limit"},
                {"order=cheapest", "order"}, {"from=2026-3-1", "from"}, {"from=2026-03-12&to=2026-03-10", "to"},
                {"agent_id=", "agent_id"}}) {
            HttpResponse<String> response = server.getWithKey("/v1/analytics/call-costs?" + bad[0], acmeKey);
            assertThat(response.statusCode()).as(bad[0] + " → " + response.body()).isEqualTo(400);
            assertThat(response.body()).as(bad[0]).contains(bad[1]);
        }
        HttpResponse<String> control = server.getWithKey("/v1/analytics/calls/a%01b/cost", acmeKey);
        assertThat(control.statusCode()).as(control.body()).isEqualTo(400);
        assertThat(control.body()).contains("call_id");
        assertThat(server.getWithKey("/v1/analytics/call-costs", null).statusCode()).isEqualTo(401);
        String writer = server.createKey("acme", "events:write");
        assertThat(server.getWithKey("/v1/analytics/call-costs", writer).statusCode()).isEqualTo(403);
    }

    @Test
    void bothReportsExportCsv() {
        HttpResponse<String> range = server.getWithKey("/v1/analytics/call-costs?" + RANGE + "&format=csv", acmeKey);
        assertThat(range.statusCode()).isEqualTo(200);
        assertThat(range.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        String[] lines = range.body().split("\r?\n");
        assertThat(lines[0]).startsWith("call_id,agent_id,provider,status,started_at,duration_seconds,telephony_usd");
        assertThat(lines).hasSize(4);
        HttpResponse<String> single = server.getWithKey("/v1/analytics/calls/k1/cost?format=csv", acmeKey);
        assertThat(single.statusCode()).isEqualTo(200);
        assertThat(single.body().split("\r?\n")).hasSize(9);
    }
}
