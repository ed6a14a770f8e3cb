package dev.tally.report.spend;

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
 * {@code GET /v1/analytics/spend} against a real server. The fixture, tenant acme, range
 * 2026-03-10..2026-03-12 (times UTC):
 *
 * <pre>
 * id  time                      agent    status       duration  cost   sentiment
 * c1  03-10 09:00               sales    completed    20 s      0.10   positive
 * c2  03-10 23:59:59.999        sales    completed    30 s      0.25   neutral    last instant of the day
 * c3  03-11 10:00               billing  failed       60 s      0.05   negative
 * c9  03-11 11:00               alpha    failed       29.5 s    —      neutral
 * c4  03-12 08:00               triage   completed    180 s     1.20   —
 * c5  03-12 12:00               sales    completed    300 s     2.00   positive
 * c6  03-12 13:00               —        in_progress  —         —      —
 * c7  03-13 00:00 (out)         sales    completed    60 s      9.99
 * c8  03-09 23:59:59.999 (out)  sales    completed    10 s      5.00
 * </pre>
 *
 * Tenant globex has one call on 03-10 (agent sales, 100 s, 50.00) that acme must never see.
 */
class SpendApiTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-15T12:00:00Z"), ZoneOffset.UTC);
    private static final String RANGE = "from=2026-03-10&to=2026-03-12";

    private static TestServer server;
    private static String acmeKey;
    private static String globexKey;

    @BeforeAll
    static void fixture() {
        server = TestServer.start(CLOCK);
        server.createTenant("acme", "Acme");
        server.createTenant("globex", "Globex");
        acmeKey = server.createKey("acme", new String[] {"analytics:read", "events:write"});
        globexKey = server.createKey("globex", new String[] {"analytics:read", "events:write"});
        ArrayNode acme = Json.MAPPER.createArrayNode()
                .add(call("c1", "2026-03-10T09:00:00Z", "sales", "completed", "20", "0.10", "positive"))
                .add(call("c2", "2026-03-10T23:59:59.999Z", "sales", "completed", "30", "0.25", "neutral"))
                .add(call("c3", "2026-03-11T10:00:00Z", "billing", "failed", "60", "0.05", "negative"))
                .add(call("c9", "2026-03-11T11:00:00Z", "alpha", "failed", "29.5", null, "neutral"))
                .add(call("c4", "2026-03-12T08:00:00Z", "triage", "completed", "180", "1.20", null))
                .add(call("c5", "2026-03-12T12:00:00Z", "sales", "completed", "300", "2.00", "positive"))
                .add(call("c6", "2026-03-12T13:00:00Z", null, "in_progress", null, null, null))
                .add(call("c7", "2026-03-13T00:00:00Z", "sales", "completed", "60", "9.99", null))
                .add(call("c8", "2026-03-09T23:59:59.999Z", "sales", "completed", "10", "5.00", null));
        server.ingest(acmeKey, acme.toString());
        server.ingest(globexKey, Json.MAPPER.createArrayNode()
                .add(call("g1", "2026-03-10T10:00:00Z", "sales", "completed", "100", "50.00", "negative")).toString());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static ObjectNode call(String id, String time, String agent, String status, String seconds, String cost,
                           String sentiment) {
        ObjectNode call = Json.MAPPER.createObjectNode().put("id", id).put("type", "call").put("time", time)
                .put("status", status);
        if (agent != null) {
            call.put("agent_id", agent);
        }
        if (seconds != null) {
            BigDecimal duration = new BigDecimal(seconds);
            call.put("duration_seconds", duration);
            long endedMs = Instant.parse(time).toEpochMilli() + duration.movePointRight(3).longValueExact();
            call.put("ended_at", Instant.ofEpochMilli(endedMs).toString());
        }
        if (cost != null) {
            call.put("cost_usd", new BigDecimal(cost));
        }
        if (sentiment != null) {
            call.put("sentiment", sentiment);
        }
        return call;
    }

    private static JsonNode spend(String query) {
        HttpResponse<String> response = server.getWithKey("/v1/analytics/spend?" + query, acmeKey);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestServer.json(response);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void overviewOfTheRangeHasEveryFieldInTheSpecOrder() {
        JsonNode body = spend(RANGE);
        assertThat(fieldNames(body)).containsExactly("total_calls", "completed_calls", "in_progress_calls",
                "average_duration_seconds", "success_rate", "telecom_costs", "total_spent", "time_series",
                "status_distribution", "sentiment_distribution", "agent_performance", "drop_off_points", "filters");
        assertThat(body.path("total_calls").asLong()).isEqualTo(7);
        assertThat(body.path("completed_calls").asLong()).isEqualTo(4);
        assertThat(body.path("in_progress_calls").asLong()).isEqualTo(1);
        // (20 + 30 + 60 + 29.5 + 180 + 300) s / 6 timed calls = 103.25 s
        assertThat(body.path("average_duration_seconds").isIntegralNumber()).isTrue();
        assertThat(body.path("average_duration_seconds").asLong()).isEqualTo(103);
        // 4 / 7 = 0.571428…
        assertThat(body.path("success_rate").decimalValue()).isEqualByComparingTo("0.5714");
        // 619.5 s = 10.325 min, half up
        assertThat(body.path("telecom_costs").path("total_minutes").decimalValue()).isEqualByComparingTo("10.33");
        assertThat(body.path("telecom_costs").path("cost_usd").decimalValue()).isEqualByComparingTo("3.60");
        assertThat(body.path("total_spent").decimalValue()).isEqualByComparingTo("3.60");
        assertThat(body.path("status_distribution").toString())
                .isEqualTo("{\"completed\":4,\"failed\":2,\"in_progress\":1}");
        assertThat(body.path("sentiment_distribution").toString())
                .isEqualTo("{\"positive\":2,\"neutral\":2,\"negative\":1,\"unknown\":2}");
        assertThat(body.path("filters").toString())
                .isEqualTo("{\"from\":\"2026-03-10\",\"to\":\"2026-03-12\",\"agent_id\":null,\"status\":null}");
    }

    @Test
    void timeSeriesHasOneEntryPerDayWithTheLastMillisecondOfADayInIt() {
        JsonNode series = spend(RANGE).path("time_series");
        assertThat(series).hasSize(3);
        assertDay(series.get(0), "2026-03-10", 2, "0.83", "0.35");   // c1 + c2: 50 s
        assertDay(series.get(1), "2026-03-11", 2, "1.49", "0.05");   // c3 + c9: 89.5 s
        assertDay(series.get(2), "2026-03-12", 3, "8.0", "3.20");    // c4 + c5 + c6: 480 s
    }

    private static void assertDay(JsonNode day, String date, long calls, String minutes, String cost) {
        assertThat(fieldNames(day)).containsExactly("date", "calls", "minutes", "cost");
        assertThat(day.path("date").asText()).isEqualTo(date);
        assertThat(day.path("calls").asLong()).isEqualTo(calls);
        assertThat(day.path("minutes").decimalValue()).isEqualByComparingTo(minutes);
        assertThat(day.path("cost").decimalValue()).isEqualByComparingTo(cost);
    }

    @Test
    void agentsAreSortedByCallsThenIdAndCallsWithoutAnAgentAreLeftOut() {
        JsonNode agents = spend(RANGE).path("agent_performance");
        assertThat(agents).hasSize(4);
        assertAgent(agents.get(0), "sales", 3, "5.83", "2.35");     // 350 s
        assertAgent(agents.get(1), "alpha", 1, "0.49", "0");        // 29.5 s
        assertAgent(agents.get(2), "billing", 1, "1.0", "0.05");
        assertAgent(agents.get(3), "triage", 1, "3.0", "1.20");
    }

    private static void assertAgent(JsonNode agent, String id, long calls, String minutes, String cost) {
        assertThat(fieldNames(agent)).containsExactly("agent_id", "calls", "minutes", "cost");
        assertThat(agent.path("agent_id").asText()).isEqualTo(id);
        assertThat(agent.path("calls").asLong()).isEqualTo(calls);
        assertThat(agent.path("minutes").decimalValue()).isEqualByComparingTo(minutes);
        assertThat(agent.path("cost").decimalValue()).isEqualByComparingTo(cost);
    }

    @Test
    void dropOffBucketsCloseAtTheirTop() {
        // 20 s and 29.5 s; 30 s and 60 s; 180 s; 300 s (not yet over 5 minutes). The call in progress
        // has no duration.
        assertThat(spend(RANGE).path("drop_off_points").toString()).isEqualTo("[{\"bucket\":\"<30s\",\"count\":2},"
                + "{\"bucket\":\"30-60s\",\"count\":2},{\"bucket\":\"1-3m\",\"count\":1},"
                + "{\"bucket\":\"3-5m\",\"count\":1},{\"bucket\":\">5m\",\"count\":0}]");
    }

    @Test
    void singleDayEndsBeforeTheNextUtcMidnight() {
        JsonNode lastDay = spend("from=2026-03-12&to=2026-03-12");
        assertThat(lastDay.path("total_calls").asLong()).isEqualTo(3);      // c4, c5, c6; not c7 at 03-13 00:00
        assertThat(lastDay.path("total_spent").decimalValue()).isEqualByComparingTo("3.20");
        assertThat(lastDay.path("time_series")).hasSize(1);

        JsonNode firstDay = spend("from=2026-03-10&to=2026-03-10");
        assertThat(firstDay.path("total_calls").asLong()).isEqualTo(2);     // c1, c2; not c8 at 03-09 23:59:59.999
        assertThat(firstDay.path("total_spent").decimalValue()).isEqualByComparingTo("0.35");
    }

    @Test
    void emptyRangeIsAllZerosWithEveryDayAndEveryBucket() {
        JsonNode body = spend("from=2026-02-01&to=2026-02-02");
        assertThat(body.path("total_calls").asLong()).isZero();
        assertThat(body.path("average_duration_seconds").asLong()).isZero();
        assertThat(body.path("success_rate").toString()).isEqualTo("0.0");
        assertThat(body.path("total_spent").toString()).isEqualTo("0.0");
        assertThat(body.path("telecom_costs").toString()).isEqualTo("{\"total_minutes\":0.0,\"cost_usd\":0.0,\"unpriced_calls\":0}");
        assertThat(body.path("time_series").toString()).isEqualTo("[{\"date\":\"2026-02-01\",\"calls\":0,"
                + "\"minutes\":0.0,\"cost\":0.0},{\"date\":\"2026-02-02\",\"calls\":0,\"minutes\":0.0,\"cost\":0.0}]");
        assertThat(body.path("status_distribution").toString())
                .isEqualTo("{\"completed\":0,\"failed\":0,\"in_progress\":0}");
        assertThat(body.path("sentiment_distribution").toString())
                .isEqualTo("{\"positive\":0,\"neutral\":0,\"negative\":0,\"unknown\":0}");
        assertThat(body.path("agent_performance")).isEmpty();
        assertThat(body.path("drop_off_points")).hasSize(5);
        assertThat(body.path("drop_off_points").findValues("count")).allMatch(count -> count.asLong() == 0);
    }

    @Test
    void defaultsAreTheThirtyDaysBeforeTodayThroughToday() {
        JsonNode body = spend("");
        assertThat(body.path("filters").path("from").asText()).isEqualTo("2026-02-13");
        assertThat(body.path("filters").path("to").asText()).isEqualTo("2026-03-15");
        assertThat(body.path("time_series")).hasSize(31);
        assertThat(body.path("total_calls").asLong()).isEqualTo(9);        // c7 and c8 are inside now
        assertThat(body.path("total_spent").decimalValue()).isEqualByComparingTo("18.59");
    }

    @Test
    void agentFilterNarrowsEveryFigureAndIsEchoed() {
        JsonNode body = spend(RANGE + "&agent_id=sales");
        assertThat(body.path("total_calls").asLong()).isEqualTo(3);
        assertThat(body.path("average_duration_seconds").asLong()).isEqualTo(117);   // 350 s / 3 = 116.67
        assertThat(body.path("success_rate").decimalValue()).isEqualByComparingTo("1.0");
        assertThat(body.path("total_spent").decimalValue()).isEqualByComparingTo("2.35");
        assertThat(body.path("agent_performance")).hasSize(1);
        assertThat(body.path("time_series").get(1).path("calls").asLong()).isZero();
        assertThat(body.path("filters").path("agent_id").asText()).isEqualTo("sales");
        assertThat(body.path("filters").path("status").isNull()).isTrue();
    }

    @Test
    void statusFilterKeepsOnlyThatStatus() {
        JsonNode body = spend(RANGE + "&status=failed");
        assertThat(body.path("total_calls").asLong()).isEqualTo(2);                 // c3, c9
        assertThat(body.path("completed_calls").asLong()).isZero();
        assertThat(body.path("success_rate").decimalValue()).isEqualByComparingTo("0");
        assertThat(body.path("average_duration_seconds").asLong()).isEqualTo(45);   // 89.5 s / 2 = 44.75
        assertThat(body.path("total_spent").decimalValue()).isEqualByComparingTo("0.05");
        assertThat(body.path("status_distribution").toString())
                .isEqualTo("{\"completed\":0,\"failed\":2,\"in_progress\":0}");
        assertThat(body.path("filters").path("status").asText()).isEqualTo("failed");

        JsonNode live = spend(RANGE + "&status=in_progress");
        assertThat(live.path("in_progress_calls").asLong()).isEqualTo(1);
        assertThat(live.path("average_duration_seconds").asLong()).isZero();         // no call has a duration
        assertThat(live.path("drop_off_points").findValues("count")).allMatch(count -> count.asLong() == 0);
    }

    @Test
    void filtersThatMatchNothingGiveZeros() {
        JsonNode body = spend(RANGE + "&agent_id=nobody&status=completed");
        assertThat(body.path("total_calls").asLong()).isZero();
        assertThat(body.path("time_series")).hasSize(3);
        assertThat(body.path("agent_performance")).isEmpty();
        assertThat(body.path("filters").path("agent_id").asText()).isEqualTo("nobody");
    }

    @Test
    void anotherTenantsCallsNeverAppear() {
        JsonNode acme = spend("from=2026-03-10&to=2026-03-10&agent_id=sales");
        assertThat(acme.path("total_calls").asLong()).isEqualTo(2);
        assertThat(acme.path("total_spent").decimalValue()).isEqualByComparingTo("0.35");
        assertThat(acme.path("sentiment_distribution").path("negative").asLong()).isZero();

        HttpResponse<String> response = server.getWithKey("/v1/analytics/spend?" + RANGE, globexKey);
        JsonNode globex = TestServer.json(response);
        assertThat(globex.path("total_calls").asLong()).isEqualTo(1);
        assertThat(globex.path("total_spent").decimalValue()).isEqualByComparingTo("50");
    }

    @Test
    void badParametersAre400sNamingTheParameter() {
        assertBadRequest("from=2026-3-10", "from");
        assertBadRequest("to=yesterday", "to");
        assertBadRequest("from=2026-03-12&to=2026-03-10", "to");
        assertBadRequest("status=done", "status");
        assertBadRequest("status=COMPLETED", "status");
        assertBadRequest("agent_id=%20", "agent_id");
        assertBadRequest("agent_id=" + "a".repeat(257), "agent_id");
    }

    private static void assertBadRequest(String query, String field) {
        HttpResponse<String> response = server.getWithKey("/v1/analytics/spend?" + query, acmeKey);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(TestServer.json(response).path("field").asText()).as(query).isEqualTo(field);
    }

    @Test
    void missingOrInvalidKeyIs401AndAWrongKeyIs403() {
        assertThat(server.get("/v1/analytics/spend").statusCode()).isEqualTo(401);
        assertThat(server.getWithKey("/v1/analytics/spend", "tly_not_a_key").statusCode()).isEqualTo(401);

        String writeOnly = server.createKey("acme", new String[] {"events:write"});
        assertThat(server.getWithKey("/v1/analytics/spend", writeOnly).statusCode()).isEqualTo(403);

        String platform = server.createKey(null, new String[] {"super-admin", "analytics:read"});
        HttpResponse<String> response = server.getWithKey("/v1/analytics/spend", platform);
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(TestServer.json(response).path("reason").asText()).isEqualTo("a tenant key is required");
    }

    @Test
    void csvIsTheTimeSeries() {
        HttpResponse<String> response = server.getWithKey("/v1/analytics/spend?format=csv&" + RANGE, acmeKey);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(response.body()).isEqualTo("date,calls,minutes,cost\r\n"
                + "2026-03-10,2,0.83,0.35\r\n"
                + "2026-03-11,2,1.49,0.05\r\n"
                + "2026-03-12,3,8.0,3.2\r\n");
    }
}
