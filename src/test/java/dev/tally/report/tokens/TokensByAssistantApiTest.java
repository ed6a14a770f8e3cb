package dev.tally.report.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.http.Json;
import dev.tally.testing.TestServer;
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
 * {@code GET /admin/analytics/tokens/by-assistant} against a real server. The fixture (UTC):
 *
 * <pre>
 * tenant  id  type  time                   agent       user    figures
 * acme    L1  llm   03-10 10:00            sales       alice   in 1000 (400 cached), cache creation 100, out 200,
 *                                                              audio in 50, audio out 25   → 1375 tokens
 * acme    L2  llm   03-11 10:00            sales       bob     in 500, out 100              → 600
 * acme    L3  llm   03-10 12:00            triage      alice   in 3000, audio in 1000, audio out 500 → 4500
 * acme    L4  llm   03-10 13:00            —           alice   in 99999 (no agent: never counted)
 * acme    T1  tts   03-10 10:01            sales       alice   1200 chars, 61.255 s
 * acme    T2  tts   03-11 10:01            sales       bob     300 chars, 10.5 s
 * acme    S1  stt   03-10 10:02            sales       alice   100 s (not part of this report)
 * acme    C1  call  03-10 09:59            sales       alice   completed, 600 s
 * acme    C2  call  03-11 09:59            sales       bob     completed, 90 s
 * acme    C3  call  03-12 09:00            support     carol   in progress
 * acme    C4  call  03-12 10:00            alpha       carol   completed, 7200 s
 * acme    E0  llm   03-09 23:59:59.999     edge        —       in 50000
 * acme    E1  llm   03-12 23:59:59.999     edge        —       in 7
 * acme    E2  llm   03-13 00:00            edge        —       in 1000
 * globex  G1  llm   03-10 11:00            globex-bot  dave    in 100, out 50 → 150
 * globex  G2  call  03-10 11:00            globex-bot  dave    completed, 30 s
 * globex  G3  llm   03-10 11:05            sales       dave    in 10, out 5 → 15
 * </pre>
 */
class TokensByAssistantApiTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-15T12:00:00Z"), ZoneOffset.UTC);
    private static final String PATH = "/admin/analytics/tokens/by-assistant";
    private static final String RANGE = "start_date=2026-03-10&end_date=2026-03-13";

    private static TestServer server;
    private static String adminKey;

    @BeforeAll
    static void fixture() {
        server = TestServer.start(CLOCK);
        server.createTenant("acme", "Acme");
        server.createTenant("globex", "Globex");
        adminKey = server.createKey(null, new String[] {"super-admin"});
        ArrayNode acme = Json.MAPPER.createArrayNode()
                .add(llm("L1", "2026-03-10T10:00:00Z", "sales", "alice@example.com")
                        .put("input_tokens", 1000).put("cached_input_tokens", 400)
                        .put("cache_creation_input_tokens", 100).put("output_tokens", 200)
                        .put("input_audio_tokens", 50).put("output_audio_tokens", 25))
                .add(llm("L2", "2026-03-11T10:00:00Z", "sales", "bob@example.com")
                        .put("input_tokens", 500).put("output_tokens", 100))
                .add(llm("L3", "2026-03-10T12:00:00Z", "triage", "alice@example.com")
                        .put("input_tokens", 3000).put("input_audio_tokens", 1000).put("output_audio_tokens", 500))
                .add(llm("L4", "2026-03-10T13:00:00Z", null, "alice@example.com").put("input_tokens", 99999))
                .add(event("T1", "tts", "2026-03-10T10:01:00Z", "sales", "alice@example.com")
                        .put("characters", 1200).put("audio_duration_seconds", 61.255))
                .add(event("T2", "tts", "2026-03-11T10:01:00Z", "sales", "bob@example.com")
                        .put("characters", 300).put("audio_duration_seconds", 10.5))
                .add(event("S1", "stt", "2026-03-10T10:02:00Z", "sales", "alice@example.com")
                        .put("duration_seconds", 100))
                .add(call("C1", "2026-03-10T09:59:00Z", "sales", "alice@example.com", 600))
                .add(call("C2", "2026-03-11T09:59:00Z", "sales", "bob@example.com", 90))
                .add(event("C3", "call", "2026-03-12T09:00:00Z", "support", "carol@example.com")
                        .put("status", "in_progress"))
                .add(call("C4", "2026-03-12T10:00:00Z", "alpha", "carol@example.com", 7200))
                .add(llm("E0", "2026-03-09T23:59:59.999Z", "edge", null).put("input_tokens", 50000))
                .add(llm("E1", "2026-03-12T23:59:59.999Z", "edge", null).put("input_tokens", 7))
                .add(llm("E2", "2026-03-13T00:00:00Z", "edge", null).put("input_tokens", 1000));
        server.ingest(server.createKey("acme", new String[] {"events:write"}), acme.toString());
        ArrayNode globex = Json.MAPPER.createArrayNode()
                .add(llm("G1", "2026-03-10T11:00:00Z", "globex-bot", "dave@globex.com")
                        .put("input_tokens", 100).put("output_tokens", 50))
                .add(call("G2", "2026-03-10T11:00:00Z", "globex-bot", "dave@globex.com", 30))
                .add(llm("G3", "2026-03-10T11:05:00Z", "sales", "dave@globex.com")
                        .put("input_tokens", 10).put("output_tokens", 5));
        server.ingest(server.createKey("globex", new String[] {"events:write"}), globex.toString());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static ObjectNode event(String id, String type, String time, String agent, String user) {
        ObjectNode event = Json.MAPPER.createObjectNode().put("id", id).put("type", type).put("time", time);
        if (agent != null) {
            event.put("agent_id", agent);
        }
        if (user != null) {
            event.put("user_email", user);
        }
        return event;
    }

    private static ObjectNode llm(String id, String time, String agent, String user) {
        return event(id, "llm", time, agent, user).put("provider", "openai").put("model", "gpt-4o");
    }

    private static ObjectNode call(String id, String time, String agent, String user, long seconds) {
        return event(id, "call", time, agent, user).put("status", "completed").put("duration_seconds", seconds)
                .put("ended_at", Instant.parse(time).plusSeconds(seconds).toString());
    }

    private static JsonNode tokens(String query) {
        HttpResponse<String> response = server.getWithKey(PATH + "?" + query, adminKey);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = TestServer.json(response);
        assertThat(body.path("success").asBoolean()).isTrue();
        assertThat(body.path("message").asText()).isEqualTo("Token usage by assistant fetched successfully");
        return body.path("data").path("assistants");
    }

    private static List<String> ids(JsonNode assistants) {
        List<String> ids = new ArrayList<>();
        assistants.forEach(assistant -> ids.add(assistant.path("assistant_id").asText()));
        return ids;
    }

    private static JsonNode assistant(JsonNode assistants, String id) {
        for (JsonNode assistant : assistants) {
            if (assistant.path("assistant_id").asText().equals(id)) {
                return assistant;
            }
        }
        throw new AssertionError("no assistant " + id + " in " + assistants);
    }

    @Test
    void everyAssistantAcrossTenantsSortedByTokensThenId() {
        JsonNode assistants = tokens(RANGE);
        assertThat(ids(assistants)).containsExactly("triage", "sales", "globex-bot", "edge", "alpha", "support");
    }

    @Test
    void figuresOfOneAssistantInTheSpecOrder() {
        JsonNode sales = assistant(tokens(RANGE), "sales");
        List<String> fields = new ArrayList<>();
        sales.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("assistant_id", "total_calls", "total_llm_tokens",
                "total_llm_input_audio_tokens", "total_llm_output_text_tokens", "total_tts_characters",
                "total_tts_audio_duration", "total_call_duration_minutes", "total_call_duration_hours");
        assertThat(sales.path("total_calls").asLong()).isEqualTo(2);                 // C1, C2
        assertThat(sales.path("total_llm_tokens").asLong()).isEqualTo(1990);         // 1375 + 600 + 15 (globex)
        assertThat(sales.path("total_llm_input_audio_tokens").asLong()).isEqualTo(50);
        assertThat(sales.path("total_llm_output_text_tokens").asLong()).isEqualTo(305);
        assertThat(sales.path("total_tts_characters").asLong()).isEqualTo(1500);
        assertThat(sales.path("total_tts_audio_duration").decimalValue()).isEqualByComparingTo("71.76");  // 71.755
        assertThat(sales.path("total_call_duration_minutes").decimalValue()).isEqualByComparingTo("11.5");  // 690 s
        assertThat(sales.path("total_call_duration_hours").decimalValue()).isEqualByComparingTo("0.19");

        JsonNode triage = assistant(tokens(RANGE), "triage");
        assertThat(triage.path("total_calls").asLong()).isZero();
        assertThat(triage.path("total_llm_tokens").asLong()).isEqualTo(4500);
        assertThat(triage.path("total_llm_input_audio_tokens").asLong()).isEqualTo(1000);
        assertThat(triage.path("total_tts_audio_duration").toString()).isEqualTo("0.0");

        JsonNode alpha = assistant(tokens(RANGE), "alpha");
        assertThat(alpha.path("total_calls").asLong()).isEqualTo(1);
        assertThat(alpha.path("total_llm_tokens").asLong()).isZero();
        assertThat(alpha.path("total_call_duration_minutes").decimalValue()).isEqualByComparingTo("120");
        assertThat(alpha.path("total_call_duration_hours").decimalValue()).isEqualByComparingTo("2");

        JsonNode globexBot = assistant(tokens(RANGE), "globex-bot");
        assertThat(globexBot.path("total_call_duration_hours").decimalValue()).isEqualByComparingTo("0.01");  // 30 s

        // a call in progress has no duration yet: no usage data, so it is not one of total_calls
        JsonNode support = assistant(tokens(RANGE), "support");
        assertThat(support.path("total_calls").asLong()).isZero();
        assertThat(support.path("total_call_duration_minutes").decimalValue()).isEqualByComparingTo("0");
    }

    @Test
    void callsWithoutUsageDataAreNotCountedOnTheRawPathEither() {
        // a range cut mid-day and a user both read the raw tables
        JsonNode cut = tokens("start_date=2026-03-10T01:00:00Z&end_date=2026-03-12T23:00:00Z");
        assertThat(assistant(cut, "support").path("total_calls").asLong()).isZero();
        assertThat(assistant(cut, "alpha").path("total_calls").asLong()).isEqualTo(1);
        assertThat(assistant(cut, "sales").path("total_calls").asLong()).isEqualTo(2);
        JsonNode carol = tokens(RANGE + "&user_email=carol@example.com");
        assertThat(assistant(carol, "support").path("total_calls").asLong()).isZero();
        assertThat(assistant(carol, "alpha").path("total_calls").asLong()).isEqualTo(1);
    }

    @Test
    void rangeIsStartInclusiveEndExclusive() {
        assertThat(assistant(tokens(RANGE), "edge").path("total_llm_tokens").asLong()).isEqualTo(7);   // E1 only
        assertThat(ids(tokens("start_date=2026-03-10T00:00:00Z&end_date=2026-03-12T23:59:59.999Z")))
                .doesNotContain("edge");
        JsonNode fromLastInstant = tokens("start_date=2026-03-12T23:59:59.999Z&end_date=2026-03-13T00:00:00.001Z");
        assertThat(assistant(fromLastInstant, "edge").path("total_llm_tokens").asLong()).isEqualTo(1007);
    }

    @Test
    void offsetsAreHonouredEvenWhenThePlusArrivesUnencoded() {
        // 2026-03-10T02:00+02:00 is 03-10 00:00 UTC, so E0 (03-09 23:59:59.999 UTC) stays out.
        assertThat(assistant(tokens("start_date=2026-03-10T02:00:00%2B02:00&end_date=2026-03-13"), "edge")
                .path("total_llm_tokens").asLong()).isEqualTo(7);
        assertThat(assistant(tokens("start_date=2026-03-10T02:00:00+02:00&end_date=2026-03-13"), "edge")
                .path("total_llm_tokens").asLong()).isEqualTo(7);
        // One millisecond earlier takes E0 in.
        assertThat(assistant(tokens("start_date=2026-03-09T19:59:59.999-04:00&end_date=2026-03-13"), "edge")
                .path("total_llm_tokens").asLong()).isEqualTo(50007);
    }

    @Test
    void defaultsAreTheThirtyDaysBeforeNow() {
        JsonNode assistants = tokens("");
        assertThat(ids(assistants).get(0)).isEqualTo("edge");
        assertThat(assistant(assistants, "edge").path("total_llm_tokens").asLong()).isEqualTo(51007);
    }

    @Test
    void userEmailNarrowsEventsAndCalls() {
        JsonNode assistants = tokens(RANGE + "&user_email=alice@example.com");
        assertThat(ids(assistants)).containsExactly("triage", "sales");
        JsonNode sales = assistant(assistants, "sales");
        assertThat(sales.path("total_calls").asLong()).isEqualTo(1);
        assertThat(sales.path("total_llm_tokens").asLong()).isEqualTo(1375);
        assertThat(sales.path("total_llm_output_text_tokens").asLong()).isEqualTo(200);
        assertThat(sales.path("total_tts_characters").asLong()).isEqualTo(1200);
        assertThat(sales.path("total_tts_audio_duration").decimalValue()).isEqualByComparingTo("61.26");
        assertThat(sales.path("total_call_duration_minutes").decimalValue()).isEqualByComparingTo("10");
        assertThat(sales.path("total_call_duration_hours").decimalValue()).isEqualByComparingTo("0.17");
    }

    @Test
    void tenantIdNarrowsToOneTenant() {
        JsonNode acme = tokens(RANGE + "&tenant_id=acme");
        assertThat(ids(acme)).containsExactly("triage", "sales", "edge", "alpha", "support");
        assertThat(assistant(acme, "sales").path("total_llm_tokens").asLong()).isEqualTo(1975);

        JsonNode globex = tokens(RANGE + "&tenant_id=globex");
        assertThat(ids(globex)).containsExactly("globex-bot", "sales");
        assertThat(assistant(globex, "sales").path("total_llm_tokens").asLong()).isEqualTo(15);
        assertThat(assistant(globex, "sales").path("total_calls").asLong()).isZero();

        HttpResponse<String> unknown = server.getWithKey(PATH + "?tenant_id=initech", adminKey);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(TestServer.json(unknown).path("success").asBoolean(true)).isFalse();
    }

    @Test
    void filtersThatMatchNothingAndEmptyRangesGiveNoAssistants() {
        assertThat(tokens(RANGE + "&user_email=nobody@example.com")).isEmpty();
        assertThat(tokens("start_date=2026-01-01&end_date=2026-01-02")).isEmpty();
        assertThat(tokens("start_date=2026-03-10T10:00:00Z&end_date=2026-03-10T10:00:00Z")).isEmpty();
    }

    @Test
    void badParametersAre400sInTheSuccessEnvelope() {
        assertBadRequest("start_date=yesterday", "start_date");
        assertBadRequest("end_date=2026-13-01", "end_date");
        assertBadRequest("start_date=2026-03-10T25:00:00Z", "start_date");
        assertBadRequest("start_date=2026-03-12&end_date=2026-03-10", "end_date");
        assertBadRequest("user_email=%20", "user_email");
        assertBadRequest("tenant_id=", "tenant_id");
    }

    private static void assertBadRequest(String query, String field) {
        HttpResponse<String> response = server.getWithKey(PATH + "?" + query, adminKey);
        assertThat(response.statusCode()).as(query + " " + response.body()).isEqualTo(400);
        JsonNode body = TestServer.json(response);
        assertThat(body.path("success").asBoolean(true)).isFalse();
        assertThat(body.path("message").asText()).startsWith(field + ":");
    }

    @Test
    void onlySuperAdminKeysMayRead() {
        HttpResponse<String> missing = server.get(PATH);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(TestServer.json(missing).path("success").asBoolean(true)).isFalse();
        assertThat(server.getWithKey(PATH, "tly_not_a_key").statusCode()).isEqualTo(401);

        HttpResponse<String> tenantKey = server.getWithKey(PATH, server.createKey("acme", new String[] {"analytics:read"}));
        assertThat(tenantKey.statusCode()).isEqualTo(403);
        assertThat(TestServer.json(tenantKey).path("success").asBoolean(true)).isFalse();
        assertThat(server.getWithKey(PATH, server.createKey(null, new String[] {"events:write"})).statusCode())
                .isEqualTo(403);
    }

    @Test
    void csvHasOneRowPerAssistant() {
        HttpResponse<String> response = server.getWithKey(PATH + "?format=csv&" + RANGE + "&tenant_id=globex", adminKey);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(response.body()).isEqualTo("assistant_id,total_calls,total_llm_tokens,total_llm_input_audio_tokens,"
                + "total_llm_output_text_tokens,total_tts_characters,total_tts_audio_duration,"
                + "total_call_duration_minutes,total_call_duration_hours\r\n"
                + "globex-bot,1,150,0,50,0,0.0,0.5,0.01\r\n"
                + "sales,0,15,0,5,0,0.0,0.0,0.0\r\n");
    }
}
