package dev.tally.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.Sql;
import dev.tally.testing.MutableClock;
import dev.tally.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Erasure of a data subject: every report answers as before with the identifier replaced by its
 * pseudonym (every total and cost unchanged), the identifier is left in no table of the store, the
 * subject's events lose their attributes and SMS bodies, and events sent after the erasure that
 * name the subject join its pseudonym instead of counting again.
 */
class ErasureApiTest {
    private static final String EVENTS = """
            [{"id": "call-7001", "type": "call", "time": "2026-03-10T09:59:00Z", "status": "completed",
              "ended_at": "2026-03-10T10:03:00Z", "cost_usd": 0.03, "agent_id": "a1", "direction": "inbound",
              "phone_number": "+14155550100", "user_email": "owner@acme.test", "member_id": "member-41",
              "attributes": {"campaign": "spring"}},
             {"id": "call-7002", "type": "call", "time": "2026-03-11T09:00:00Z", "status": "completed",
              "ended_at": "2026-03-11T09:02:00Z", "cost_usd": 0.02, "agent_id": "a2", "direction": "outbound",
              "phone_number": "+14155550199", "member_id": "member-42", "sentiment": "positive"},
             {"id": "l1", "type": "llm", "time": "2026-03-10T10:00:00Z", "provider": "openai", "model": "gpt-4o",
              "input_tokens": 1200, "output_tokens": 300, "agent_id": "a1", "call_id": "call-7001", "member_id": "member-41",
              "ended_at": "2026-03-10T10:00:02Z", "attributes": {"campaign": "spring"}},
             {"id": "l2", "type": "llm", "time": "2026-03-11T09:01:00Z", "provider": "openai", "model": "gpt-4o-mini",
              "input_tokens": 800, "output_tokens": 100, "agent_id": "a2", "call_id": "call-7002", "member_id": "member-42",
              "ended_at": "2026-03-11T09:01:01Z"},
             {"id": "t1", "type": "tts", "time": "2026-03-10T10:00:03Z", "provider": "elevenlabs", "model": "eleven_turbo_v2",
              "characters": 420, "call_id": "call-7001", "cost_usd": 0.012},
             {"id": "f1", "type": "fee", "time": "2026-03-10T10:04:00Z", "kind": "platform", "cost_usd": 0.2,
              "call_id": "call-7001"},
             {"id": "s1", "type": "sms", "time": "2026-03-13T10:00:00Z", "direction": "outbound",
              "phone_number": "+14155550100", "body": "your code is 1234", "cost_usd": 0.0079, "user_email": "owner@acme.test"},
             {"id": "s2", "type": "sms", "time": "2026-03-13T11:00:00Z", "direction": "inbound",
              "phone_number": "+14155550199", "body": "stop", "cost_usd": 0.0079},
             {"id": "f2", "type": "fee", "time": "2026-03-01T00:00:00Z", "kind": "phone_number", "cost_usd": 1.15,
              "attributes": {"number": "+14155550100"}},
             {"id": "ch1", "type": "chat", "time": "2026-03-12T08:00:00Z", "member_id": "member-41"},
             {"id": "g1", "type": "message", "time": "2026-03-12T08:00:01Z", "chat_id": "ch1", "role": "user"},
             {"id": "l3", "type": "llm", "time": "2026-03-12T08:00:02Z", "provider": "openai", "model": "gpt-4o",
              "input_tokens": 5000, "output_tokens": 900, "chat_id": "ch1", "member_id": "member-41"}]""";
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(new MutableClock(Instant.parse("2026-03-31T12:00:00Z")));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static boolean erases() {
        return server.tally().events().erases();
    }

    private static HttpResponse<String> admin(String method, String path, String body) {
        return server.send(method, path, body, "X-Admin-Token", TestServer.ADMIN_TOKEN, "Content-Type", "application/json");
    }

    /** A tenant with the events, its bodies kept, and a key that reads every report. */
    private static String tenantWithEvents(String tenant) {
        server.createTenant(tenant, tenant);
        assertThat(admin("PATCH", "/admin/tenants/" + tenant, "{\"store_sms_bodies\": true}").statusCode()).isEqualTo(200);
        server.ingest(server.createKey(tenant, "events:write"), EVENTS);
        return server.createMemberKey(tenant, "member-41", "analytics:read", "export:read", "members:read");
    }

    private static List<String> reports(String tenant, String member) {
        List<String> reports = new ArrayList<>(List.of("/v1/analytics/spend?from=2026-03-01&to=2026-03-31",
                "/v1/analytics/call-costs?from=2026-03-01&to=2026-03-31",
                "/v1/analytics/call-costs?from=2026-03-10&to=2026-03-10&agent_id=a1"));
        for (String report : List.of("ai-usage", "sms-usage", "phone-usage", "voice-usage", "member-usage/" + member)) {
            reports.add("/api/v2/w/" + tenant + "/reports/" + report + "?start_date=2026-03-01&end_date=2026-03-31");
        }
        reports.add("/api/v2/w/" + tenant + "/members");
        return reports;
    }

    /** Every report's answer, by the report's path with the member and the call as placeholders. */
    private static java.util.Map<String, String> answers(String tenant, String key, String member, String call) {
        java.util.Map<String, String> answers = new java.util.LinkedHashMap<>();
        List<String> paths = new ArrayList<>(reports(tenant, member));
        paths.add("/v1/analytics/calls/" + call + "/cost");
        for (String report : paths) {
            HttpResponse<String> response = server.getWithKey(report, key);
            assertThat(response.statusCode()).as(report + " " + response.body()).isEqualTo(200);
            answers.put(report.replace(member, "{member}").replace(call, "{call}"), response.body());
        }
        return answers;
    }

    /** The answers with {@code identifier} read as {@code pseudonym} (when given), each array's order left out. */
    private static List<String> normalized(java.util.Map<String, String> answers, String identifier, String pseudonym) {
        List<String> lines = new ArrayList<>();
        answers.forEach((report, body) -> {
            try {
                lines.add(report + ": " + unordered(dev.tally.http.Json.MAPPER.readTree(
                        identifier == null ? body : body.replace(identifier, pseudonym))));
            } catch (java.io.IOException unreadable) {
                throw new AssertionError(report + " answered no JSON: " + body, unreadable);
            }
        });
        return lines;
    }

    /**
     * The answer with every array's elements sorted: a report that sorts its rows by phone number
     * or member lists the pseudonym where its order falls, and only the order may change.
     */
    private static JsonNode unordered(JsonNode node) {
        if (node.isArray()) {
            List<JsonNode> elements = new ArrayList<>();
            node.forEach(element -> elements.add(unordered(element)));
            elements.sort(java.util.Comparator.comparing(JsonNode::toString));
            com.fasterxml.jackson.databind.node.ArrayNode sorted = dev.tally.http.Json.MAPPER.createArrayNode();
            elements.forEach(sorted::add);
            return sorted;
        }
        if (node.isObject()) {
            com.fasterxml.jackson.databind.node.ObjectNode copy = dev.tally.http.Json.MAPPER.createObjectNode();
            node.fields().forEachRemaining(field -> copy.set(field.getKey(), unordered(field.getValue())));
            return copy;
        }
        return node;
    }

    private static JsonNode erase(String body) throws InterruptedException {
        HttpResponse<String> started = admin("POST", "/admin/erasures", body);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        JsonNode job = TestServer.json(started);
        assertThat(started.headers().firstValue("Location")).hasValue("/admin/erasures/" + job.path("id").asText());
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (job.path("state").asText().equals("running") && System.nanoTime() < deadline) {
            Thread.sleep(50);
            job = TestServer.json(admin("GET", "/admin/erasures/" + job.path("id").asText(), null));
        }
        assertThat(job.path("state").asText()).as(job.toString()).isEqualTo("done");
        return job;
    }

    /** Every text cell of the tenant's rows, in every table of the store, that holds the value: none may after an erasure. */
    private static List<String> cellsHolding(String tenant, String value) {
        List<String> found = new ArrayList<>();
        for (Row table : server.tally().events().query(textColumns())) {
            String column = "\"" + table.string("column_name") + "\"";
            String name = "\"" + table.string("table_name") + "\"";
            long rows = ((Number) server.tally().events().query(new Sql("SELECT count(*) AS n FROM " + name
                    + " WHERE tenant_id = ? AND (" + column + " = ? OR " + column + " LIKE ?)",
                    List.of(tenant, value, "%\"" + value + "\"%"))).get(0).get("n")).longValue();
            if (rows > 0) {
                found.add(table.string("table_name") + "." + table.string("column_name") + ": " + rows);
            }
        }
        return found;
    }

    /** The text columns of every table of tenant rows, as (table_name, column_name). */
    private static Sql textColumns() {
        if (server.tally().events().name().equals("clickhouse")) {
            // no information_schema there: the catalog's Distributed tables, which read every node's rows
            return new Sql("SELECT table AS table_name, name AS column_name FROM system.columns"
                    + " WHERE database = currentDatabase() AND type IN ('String', 'Nullable(String)')"
                    + " AND table IN (SELECT name FROM system.tables WHERE database = currentDatabase()"
                    + " AND engine = 'Distributed') AND table IN (SELECT table FROM system.columns"
                    + " WHERE database = currentDatabase() AND name = 'tenant_id')", List.of());
        }
        return new Sql("SELECT table_name, column_name FROM"
                + " information_schema.columns WHERE table_schema = 'main' AND data_type = 'VARCHAR'"
                + " AND table_name IN (SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE')"
                + " AND table_name IN (SELECT table_name FROM information_schema.columns WHERE column_name = 'tenant_id')",
                List.of());
    }

    private void assertErased(String tenant, String subject, String identifier, String member, String call)
            throws InterruptedException {
        String key = tenantWithEvents(tenant);
        java.util.Map<String, String> before = answers(tenant, key, member, call);
        assertThat(cellsHolding(tenant, identifier)).isNotEmpty();

        JsonNode job = erase("{\"tenant_id\": \"" + tenant + "\", \"" + subject + "\": \"" + identifier
                + "\", \"reference\": \"DSR-7\"}");
        String pseudonym = job.path("pseudonym").asText();
        assertThat(pseudonym).matches("erased-[0-9a-f]{20}");
        assertThat(job.toString()).doesNotContain(identifier).contains("DSR-7");
        assertThat(job.path("rows").path("events").asLong() + job.path("rows").path("calls").asLong()).isPositive();

        String memberNow = member.equals(identifier) ? pseudonym : member;
        String callNow = call.equals(identifier) ? pseudonym : call;
        List<String> after = normalized(answers(tenant, server.createMemberKey(tenant, memberNow, "analytics:read",
                "export:read", "members:read"), memberNow, callNow), null, null);
        assertThat(after).containsExactlyElementsOf(normalized(before, identifier, pseudonym));
        assertThat(cellsHolding(tenant, identifier)).as("cells still holding the identifier").isEmpty();

        // sent again after the erasure: nothing counts twice, and the identifier stays out of the store
        server.ingest(server.createKey(tenant, "events:write"), EVENTS);
        assertThat(normalized(answers(tenant, server.createMemberKey(tenant, memberNow, "analytics:read",
                "export:read", "members:read"), memberNow, callNow), null, null)).isEqualTo(after);
        assertThat(cellsHolding(tenant, identifier)).as("cells holding the identifier after a redelivery").isEmpty();
    }

    @Test
    void aPhoneNumberIsReplacedEverywhereAndEveryTotalStays() throws InterruptedException {
        assertErased("phone", "phone_number", "+14155550100", "member-41", "call-7001");
        // a new event naming the number only in an attribute: stored without its attributes
        server.ingest(server.createKey("phone", "events:write"), """
                [{"id": "f3", "type": "fee", "time": "2026-03-02T00:00:00Z", "kind": "phone_number", "cost_usd": 1.15,
                  "attributes": {"number": "+14155550100", "plan": "local"}}]""");
        assertThat(cellsHolding("phone", "+14155550100")).isEmpty();
        // the erased number's events kept no attributes and no SMS body; the other number's did
        List<Row> sms = server.tally().events().query(new Sql("SELECT id, body, attributes FROM events"
                + " WHERE tenant_id = 'phone' AND type = 'sms' ORDER BY id", List.of()));
        assertThat(sms.get(0).get("body")).isNull();
        assertThat(sms.get(1).string("body")).isEqualTo("stop");
    }

    @Test
    void aCallIdIsReplacedOnTheCallAndEveryPartOfIt() throws InterruptedException {
        assertErased("call", "call_id", "call-7001", "member-41", "call-7001");
        assertThat(server.getWithKey("/v1/analytics/calls/call-7001/cost",
                server.createKey("call", "analytics:read")).statusCode()).isEqualTo(404);
    }

    @Test
    void aMemberIsReplacedInRawRowsRollupsAndKeys() throws InterruptedException {
        assertErased("member", "member_id", "member-41", "member-41", "call-7001");
    }

    @Test
    void anEmailIsReplaced() throws InterruptedException {
        assertErased("email", "user_email", "owner@acme.test", "member-41", "call-7001");
        assertThat(TestServer.json(admin("GET", "/admin/erasures?tenant_id=email", null)).path("erasures"))
                .hasSize(1);
    }

    @Test
    void aLatePartOfAnErasedCallJoinsItsPseudonym() throws InterruptedException {
        String key = tenantWithEvents("late");
        String pseudonym = erase("{\"tenant_id\": \"late\", \"call_id\": \"call-7001\"}").path("pseudonym").asText();
        String reader = server.createKey("late", "analytics:read");
        HttpResponse<String> costResponse = server.getWithKey("/v1/analytics/calls/" + pseudonym + "/cost", reader);
        assertThat(costResponse.statusCode()).as(costResponse.body()).isEqualTo(200);
        JsonNode cost = TestServer.json(costResponse);
        server.ingest(server.createKey("late", "events:write"), """
                [{"id": "l9", "type": "llm", "time": "2026-03-10T10:01:00Z", "provider": "openai", "model": "gpt-4o",
                  "input_tokens": 1000, "output_tokens": 100, "cost_usd": 0.5, "call_id": "call-7001"}]""");
        JsonNode later = TestServer.json(server.getWithKey("/v1/analytics/calls/" + pseudonym + "/cost", reader));
        assertThat(later.path("events").size()).isEqualTo(cost.path("events").size() + 1);
        assertThat(later.path("total_cost_usd").decimalValue())
                .isEqualByComparingTo(cost.path("total_cost_usd").decimalValue().add(new java.math.BigDecimal("0.5")));
        assertThat(server.getWithKey("/v1/analytics/calls/call-7001/cost", reader).statusCode()).isEqualTo(404);
        assertThat(key).isNotEmpty();
    }

    @Test
    void badRequestsNameTheField() {
        server.createTenant("bad", "bad");
        assertField(admin("POST", "/admin/erasures", "{\"member_id\": \"m1\"}"), 400, "tenant_id");
        assertField(admin("POST", "/admin/erasures", "{\"tenant_id\": \"nobody\", \"member_id\": \"m1\"}"), 400,
                "tenant_id");
        assertField(admin("POST", "/admin/erasures", "{\"tenant_id\": \"bad\"}"), 400, "member_id");
        assertField(admin("POST", "/admin/erasures", "{\"tenant_id\": \"bad\", \"member_id\": \"m1\","
                + " \"call_id\": \"c1\"}"), 400, "call_id");
        assertField(admin("POST", "/admin/erasures", "{\"tenant_id\": \"bad\", \"member_id\": 7}"), 400, "member_id");
        assertField(admin("POST", "/admin/erasures", "{\"tenant_id\": \"bad\", \"member_id\": \"\"}"), 400, "member_id");
        assertField(admin("POST", "/admin/erasures", "{\"tenant_id\": \"bad\", \"email\": \"x\"}"), 400, "email");
        assertField(admin("GET", "/admin/erasures/era_nope", null), 404, "id");
        assertThat(server.send("POST", "/admin/erasures", "{\"tenant_id\": \"bad\", \"member_id\": \"m1\"}")
                .statusCode()).as("without the admin token").isEqualTo(401);
        if (!erases()) {
            assertField(admin("POST", "/admin/erasures", "{\"tenant_id\": \"bad\", \"member_id\": \"m1\"}"), 409, "store");
        }
    }

    private static void assertField(HttpResponse<String> response, int status, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).contains("\"" + field + "\"");
    }
}
