package dev.tally.integrations.twilio;

import static dev.tally.integrations.twilio.TwilioSigner.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.app.ServerConfig;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.SqlBuilder;
import dev.tally.testing.StoredEvents;
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
 * Twilio's status callbacks against a real server (the pom runs it on DuckDB, on DuckDB read without
 * rollups and on the ClickHouse cluster), signed as Twilio signs them. The fixtures under
 * {@code dev/tally/integrations/twilio} are form bodies written from Twilio's documentation of its
 * Messaging and Voice status callbacks; each test that needs a message or call of its own gives the
 * fixture's sid another value.
 */
class TwilioReceiverApiTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-15T12:00:00Z"), ZoneOffset.UTC);
    private static final String TOKEN = "twilio-auth-token-acme";
    private static final String SMS = "/v1/integrations/twilio/acme/sms";
    private static final String VOICE = "/v1/integrations/twilio/acme/voice";
    private static final String MESSAGE_SID = "SM1f0e8ae6ade43cb3c0ce4525424e404f";
    private static final String CALL_SID = "CA5d2b6c0e1f7a4b3c9d8e2f1a0b7c6d5e";
    private static final String FORM = "application/x-www-form-urlencoded";

    private static TestServer server;
    private static String acmeReader;

    @BeforeAll
    static void start() {
        server = TestServer.start(CLOCK);
        server.createTenant("acme", "Acme");
        server.createTenant("globex", "Globex");
        acmeReader = server.createKey("acme", "analytics:read");
        setToken(server, "acme", TOKEN);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void setToken(TestServer target, String tenant, String token) {
        HttpResponse<String> set = target.send("PUT", "/admin/tenants/" + tenant + "/integrations/twilio",
                "{\"secret\": \"" + token + "\"}", "X-Admin-Token", TestServer.ADMIN_TOKEN);
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
    }

    /** Posts the body signed over the URL the request goes to, as Twilio calling Tally directly. */
    private static HttpResponse<String> signed(String path, String body) {
        return post(path, body, "X-Twilio-Signature", TwilioSigner.sign(TOKEN, server.url(path), body),
                "Content-Type", FORM);
    }

    private static HttpResponse<String> post(String path, String body, String... headers) {
        HttpResponse<String> response = server.post(path, body, headers);
        server.settleWrites();
        return response;
    }

    private static JsonNode ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestServer.json(response);
    }

    private static JsonNode callCost(String callId) {
        HttpResponse<String> response = server.getWithKey("/v1/analytics/calls/" + callId + "/cost", acmeReader);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestServer.json(response);
    }

    private static JsonNode smsUsage() {
        HttpResponse<String> response = server.getWithKey("/api/v2/w/acme/reports/sms-usage", acmeReader);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestServer.json(response);
    }

    private static Row stored(String id) {
        return StoredEvents.row(server.tally().events(), "events", "acme", id);
    }

    /** How many stored events of any tenant have this id. */
    private static long countOf(String id) {
        return server.tally().events().query(new SqlBuilder().append("SELECT count(*) AS n FROM "
                + StoredEvents.reference(server.tally().events(), "events") + "id = ").value(id).build()).get(0)
                .longValue("n");
    }

    private static void assertMoney(JsonNode node, String expected) {
        assertThat(node.isNumber()).as(node.toString()).isTrue();
        assertThat(node.decimalValue()).as(node.toString()).isEqualByComparingTo(new BigDecimal(expected));
    }

    /** Twilio's Price of a fixture, as the charge it stands for (Twilio reports it negative). */
    private static BigDecimal chargeOf(String body) {
        for (String pair : body.split("&")) {
            if (pair.startsWith("Price=")) {
                return new BigDecimal(pair.substring("Price=".length())).negate();
            }
        }
        throw new AssertionError("no Price in " + body);
    }

    @Test
    void aVoiceCallbackWithItsPriceCostsTwiliosPriceToTheCent() {
        String completed = fixture("call-completed.form");
        String priced = fixture("call-completed-priced.form");

        JsonNode first = ok(signed(VOICE, completed));
        assertThat(first.path("id").asText()).isEqualTo(CALL_SID);
        assertThat(first.path("revision").asLong()).isZero();
        JsonNode late = ok(signed(VOICE, priced));
        assertThat(late.path("revision").asLong()).isEqualTo(1);
        assertThat(outcome(late)).isEqualTo("updated");

        JsonNode cost = callCost(CALL_SID);
        BigDecimal charge = chargeOf(priced);
        assertThat(charge).isEqualByComparingTo("0.039");
        assertMoney(cost.path("components").path("telephony"), charge.toPlainString());
        assertMoney(cost.path("total_cost_usd"), charge.toPlainString());
        assertThat(cost.path("unpriced_events").asInt()).isZero();
        assertThat(cost.path("provider").asText()).isEqualTo("twilio");
        assertThat(cost.path("status").asText()).isEqualTo("completed");
        // Timestamp 11:02:07 is the end; CallDuration 127 s before it the start
        assertThat(Instant.parse(cost.path("started_at").asText())).isEqualTo(Instant.parse("2026-03-15T11:00:00Z"));
        assertMoney(cost.path("duration_seconds"), "127");
        // the workspace's number: From of an outbound call
        assertStoredCall(CALL_SID, "outbound", "+15017122661");
    }

    private static Row assertStoredCall(String callId, String direction, String workspaceNumber) {
        Row call = StoredEvents.row(server.tally().events(), "calls", "acme", callId);
        assertThat(call.string("direction")).isEqualTo(direction);
        assertThat(call.string("phone_number")).isEqualTo(workspaceNumber);
        return call;
    }

    /** What happened to a callback: ignored, stored, or the status ingest noted for its event (updated, duplicate, stale). */
    private static String outcome(JsonNode answer) {
        if (answer.path("ignored").asBoolean()) {
            return "ignored";
        }
        return answer.path("results").isEmpty() ? "stored" : answer.path("results").get(0).path("status").asText();
    }

    @Test
    void aPriceThatArrivedFirstIsNotUndoneByTheCallbackWithoutIt() {
        String sid = "CA11111111111111111111111111111111";
        String priced = fixture("call-completed-priced.form").replace(CALL_SID, sid);
        ok(signed(VOICE, priced));

        JsonNode stale = ok(signed(VOICE, fixture("call-completed.form").replace(CALL_SID, sid)));

        assertThat(outcome(stale)).isEqualTo("stale");
        assertMoney(callCost(sid).path("components").path("telephony"), chargeOf(priced).toPlainString());
    }

    @Test
    void aCallThatWasNotAnsweredIsAFailedCallAndProgressCallbacksAreIgnored() {
        JsonNode ringing = ok(signed(VOICE, fixture("call-ringing.form").replace(CALL_SID,
                "CA22222222222222222222222222222222")));
        assertThat(ringing.path("ignored").asBoolean()).isTrue();
        assertThat(ringing.path("status").asText()).isEqualTo("ringing");
        assertThat(server.getWithKey("/v1/analytics/calls/CA22222222222222222222222222222222/cost", acmeReader)
                .statusCode()).isEqualTo(404);

        JsonNode noAnswer = ok(signed(VOICE, fixture("call-no-answer.form")));

        JsonNode cost = callCost(noAnswer.path("id").asText());
        assertThat(cost.path("status").asText()).isEqualTo("failed");
        // the workspace's number: To of an inbound call
        Row call = assertStoredCall(noAnswer.path("id").asText(), "inbound", "+15017122661");
        assertThat(call.string("end_reason")).isEqualTo("no-answer");
    }

    @Test
    void theAgentIdOfTheCallbackUrlIsTheCallsAgent() {
        String sid = "CA33333333333333333333333333333333";
        String path = VOICE + "?agent_id=agent-sales";

        ok(signed(path, fixture("call-completed-priced.form").replace(CALL_SID, sid)));

        assertThat(callCost(sid).path("agent_id").asText()).isEqualTo("agent-sales");
        HttpResponse<String> unsigned = post(path, fixture("call-completed.form"), "Content-Type", FORM,
                "X-Twilio-Signature", TwilioSigner.sign(TOKEN, server.url(VOICE), fixture("call-completed.form")));
        assertThat(unsigned.statusCode()).as("the query is signed too").isEqualTo(401);
    }

    @Test
    void aMessageIsOneSmsThatEndsWithItsLatePrice() {
        // a number of its own, so the report's row for it holds this message only
        String number = "%2B15017120001";
        JsonNode queued = ok(signed(SMS, fixture("message-queued.form").replace("%2B15017122661", number)));
        assertThat(queued.path("ignored").asBoolean()).isTrue();
        List<String> answers = new ArrayList<>();
        for (String name : List.of("message-sent.form", "message-delivered.form", "message-delivered-priced.form")) {
            answers.add(outcome(ok(signed(SMS, fixture(name).replace("%2B15017122661", number)))));
        }
        assertThat(answers).containsExactly("stored", "updated", "updated");
        JsonNode redelivered = ok(signed(SMS, fixture("message-delivered-priced.form").replace("%2B15017122661", number)));
        assertThat(redelivered.path("duplicates").asInt()).isEqualTo(1);
        assertThat(redelivered.path("accepted").asInt()).isZero();

        Row sms = stored(MESSAGE_SID);
        BigDecimal charge = chargeOf(fixture("message-delivered-priced.form"));
        assertThat(BigDecimal.valueOf(sms.longValue("cost_nanos"), 9)).isEqualByComparingTo(charge);
        assertThat(sms.string("cost_source")).isEqualTo("reported");
        assertThat(sms.longValue("carrier_segments")).isEqualTo(2);
        assertThat(sms.longValue("revision")).isEqualTo(6);
        JsonNode usage = smsUsage();
        assertThat(usage.path("rows")).filteredOn(row -> row.path("phoneNumber").asText().equals("+15017120001"))
                .singleElement().satisfies(row -> assertThat(row.path("outbound").asInt()).isEqualTo(1));
        assertThat(usage.path("unpricedMessages").asInt()).as("the message carried Twilio's price").isZero();
    }

    @Test
    void callbacksOutOfOrderEndAsTheSameMessage() {
        String sid = "SM44444444444444444444444444444444";
        List<String> answers = new ArrayList<>();
        for (String name : List.of("message-delivered-priced.form", "message-delivered.form", "message-sent.form",
                "message-queued.form")) {
            answers.add(outcome(ok(signed(SMS, fixture(name).replace(MESSAGE_SID, sid)))));
        }

        assertThat(answers).containsExactly("stored", "stale", "stale", "ignored");
        Row sms = stored(sid);
        assertThat(BigDecimal.valueOf(sms.longValue("cost_nanos"), 9))
                .isEqualByComparingTo(chargeOf(fixture("message-delivered-priced.form")));
        assertThat(sms.longValue("revision")).isEqualTo(6);
        assertThat(sms.longValue("carrier_segments")).isEqualTo(2);
    }

    @Test
    void anIncomingMessageIsInboundAndCountedFromItsBody() {
        JsonNode answer = ok(signed(SMS, fixture("message-received.form")));

        Row sms = stored(answer.path("id").asText());
        assertThat(sms.string("direction")).isEqualTo("inbound");
        assertThat(sms.string("phone_number")).isEqualTo("+15017122661");
        assertThat(sms.string("encoding")).as("the body's emoji makes it UCS-2").isEqualTo("ucs2");
        assertThat(smsUsage().path("totalInbound").asInt()).isEqualTo(1);
    }

    @Test
    void aPriceInAnotherCurrencyIsKeptBesideTheMessageAndNeverSummedAsDollars() {
        String sid = "SM55555555555555555555555555555555";
        String euros = fixture("message-delivered-priced.form").replace(MESSAGE_SID, sid)
                .replace("PriceUnit=USD", "PriceUnit=eur");

        ok(signed(SMS, euros));

        Row sms = stored(sid);
        assertThat(sms.string("cost_source")).isNotEqualTo("reported");
        assertThat(sms.string("attributes")).contains("twilio_price").contains("-0.01580").contains("EUR");
    }

    @Test
    void failedMessagesAreNotBilledAndAreIgnored() {
        JsonNode failed = ok(signed(SMS, fixture("message-failed.form")));

        assertThat(failed.path("ignored").asBoolean()).isTrue();
        assertThat(countOf(failed.path("id").asText())).isZero();
    }

    @Test
    void onlyTwiliosSignatureWithTheTenantsTokenIsLetIn() {
        String body = fixture("message-sent.form").replace(MESSAGE_SID, "SM66666666666666666666666666666666");
        String signature = TwilioSigner.sign(TOKEN, server.url(SMS), body);

        assertThat(post(SMS, body, "Content-Type", FORM).statusCode()).as("no signature").isEqualTo(401);
        assertThat(post(SMS, body, "Content-Type", FORM, "X-Twilio-Signature", "").statusCode()).isEqualTo(401);
        assertThat(post(SMS, body, "Content-Type", FORM, "X-Twilio-Signature",
                TwilioSigner.sign("another-token", server.url(SMS), body)).statusCode()).as("another token").isEqualTo(401);
        assertThat(post(SMS, body.replace("NumSegments=2", "NumSegments=1"), "Content-Type", FORM,
                "X-Twilio-Signature", signature).statusCode()).as("a changed parameter").isEqualTo(401);
        assertThat(post(SMS, body, "Content-Type", FORM, "X-Twilio-Signature", signature,
                "X-Twilio-Webhooks-Signature-Settings", "algorithm=HMAC_MD5").statusCode()).isEqualTo(401);
        String globex = SMS.replace("acme", "globex");
        HttpResponse<String> noToken = post(globex, body, "Content-Type", FORM, "X-Twilio-Signature",
                TwilioSigner.sign(TOKEN, server.url(globex), body));
        assertThat(noToken.statusCode()).as("a tenant without a Twilio token").isEqualTo(401);
        String initech = SMS.replace("acme", "initech");
        HttpResponse<String> unknown = post(initech, body, "Content-Type", FORM, "X-Twilio-Signature",
                TwilioSigner.sign(TOKEN, server.url(initech), body));
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(TestServer.json(unknown).path("reason").asText()).as("no word of whether the tenant exists")
                .isEqualTo(TestServer.json(noToken).path("reason").asText());
        assertThat(countOf("SM66666666666666666666666666666666")).isZero();
        assertThat(StoredEvents.count(server.tally().events(), "events", "globex")).isZero();

        assertThat(post(SMS, body, "Content-Type", FORM + "; charset=utf-8", "X-Twilio-Signature", signature)
                .statusCode()).isEqualTo(200);
        stored("SM66666666666666666666666666666666");
    }

    @Test
    void aSignatureWithSha256IsCheckedWithIt() {
        String body = fixture("message-sent.form").replace(MESSAGE_SID, "SM77777777777777777777777777777777");
        String signature = TwilioSignature.expected(TwilioSignature.Algorithm.HMAC_SHA256, TOKEN, server.url(SMS),
                TwilioForm.parse(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)).parameters());

        assertThat(post(SMS, body, "Content-Type", FORM, "X-Twilio-Signature", signature).statusCode()).isEqualTo(401);
        assertThat(post(SMS, body, "Content-Type", FORM, "X-Twilio-Signature", signature,
                "X-Twilio-Webhooks-Signature-Settings", "key=webhooks_sharedkey_1,algorithm=HMAC_SHA256").statusCode())
                .isEqualTo(200);
    }

    @Test
    void behindAProxyTheSignatureIsCheckedOverThePublicUrl() {
        try (TestServer proxied = TestServer.start(ServerConfig.forTests(TestServer.ADMIN_TOKEN)
                .withPublicUrl("https://tally.example.com/"), CLOCK)) {
            proxied.createTenant("acme", "Acme");
            setToken(proxied, "acme", TOKEN);
            String body = fixture("call-completed-priced.form");
            String publicUrl = "https://tally.example.com" + VOICE;

            HttpResponse<String> overLoopback = proxied.post(VOICE, body, "Content-Type", FORM,
                    "X-Twilio-Signature", TwilioSigner.sign(TOKEN, proxied.url(VOICE), body));
            HttpResponse<String> overPublic = proxied.post(VOICE, body, "Content-Type", FORM,
                    "X-Twilio-Signature", TwilioSigner.sign(TOKEN, publicUrl, body));
            HttpResponse<String> withPort = proxied.post(VOICE, body, "Content-Type", FORM,
                    "X-Twilio-Signature", TwilioSigner.sign(TOKEN, "https://tally.example.com:443" + VOICE, body));

            assertThat(overLoopback.statusCode()).as("the URL the proxy called is not the one Twilio signed")
                    .isEqualTo(401);
            assertThat(TestServer.json(overLoopback).path("reason").asText()).contains("https://tally.example.com");
            assertThat(overPublic.statusCode()).as(overPublic.body()).isEqualTo(200);
            assertThat(withPort.statusCode()).as(withPort.body()).isEqualTo(200);
        }
    }

    @Test
    void aBadCallbackIsRefusedNamingTheTwilioParameterAndStoresNothing() {
        String sid = "SM88888888888888888888888888888888";
        String sent = fixture("message-sent.form").replace(MESSAGE_SID, sid);
        assertRefused(signed(SMS, sent.replace("NumSegments=2", "NumSegments=two")), "NumSegments");
        assertRefused(signed(SMS, sent + "&Price=free"), "Price");
        assertRefused(signed(SMS, sent + "&Price=0.0079&PriceUnit=USD"), "Price");
        assertRefused(signed(SMS, sent + "&Price=-0.0079&PriceUnit=dollars"), "PriceUnit");
        assertRefused(signed(SMS, sent.replace("MessageStatus=sent", "MessageStatus=teleported")), "MessageStatus");
        assertRefused(signed(SMS, sent.replace("MessageSid=" + sid + "&", "").replace("SmsSid=" + sid + "&", "")),
                "MessageSid");
        assertRefused(signed(SMS, sent.replace("MessageSid=" + sid, "MessageSid=SM%00x")), "MessageSid");
        assertRefused(signed(SMS, sent + "&NumSegments=3"), "NumSegments");
        assertRefused(signed(SMS, sent + "&Body=%00"), "Body");
        String call = fixture("call-completed.form").replace(CALL_SID, "CA88888888888888888888888888888888");
        assertRefused(signed(VOICE, call.replace("Timestamp=Sun", "Timestamp=Mon")), "Timestamp");
        assertRefused(signed(VOICE, call.replace("Sun%2C+15+Mar+2026", "Mon%2C+15+Mar+2027")), "Timestamp");
        assertRefused(signed(VOICE, call.replace("CallDuration=127", "CallDuration=-127")), "CallDuration");
        assertRefused(signed(VOICE, call.replace("CallDuration=127", "CallDuration=999999999")), "CallDuration");
        assertRefused(signed(VOICE, call.replace("CallStatus=completed", "CallStatus=")), "CallStatus");
        assertRefused(signed(VOICE + "?agent_id=%00", call), "agent_id");

        HttpResponse<String> json = post(SMS, "{\"MessageSid\": \"" + sid + "\"}", "Content-Type", "application/json",
                "X-Twilio-Signature", "x");
        assertThat(json.statusCode()).as(json.body()).isEqualTo(415);
        assertThat(TestServer.json(json).path("field").asText()).isEqualTo("Content-Type");
        assertThat(post(SMS, sent).statusCode()).as("no content type").isEqualTo(415);
        assertThat(server.getWithKey("/v1/analytics/calls/CA88888888888888888888888888888888/cost", acmeReader)
                .statusCode()).isEqualTo(404);
        assertThat(countOf(sid)).isZero();

        JsonNode unknownParameters = ok(signed(SMS, sent + "&SomethingTwilioAddsLater=1&ChannelPrefix=sms"));
        assertThat(unknownParameters.path("accepted").asInt()).as("parameters Tally does not read are ignored")
                .isEqualTo(1);
    }

    @Test
    void aSidStoredAsAnotherTypeOfEventIsAConflictNamingIt() {
        String sid = "SM99999999999999999999999999999999";
        server.ingest(server.createKey("acme", "events:write"), "[{\"id\": \"" + sid + "\", \"type\": \"chat\","
                + " \"time\": \"2026-03-15T10:00:00Z\", \"member_id\": \"m1\"}]");

        HttpResponse<String> response = signed(SMS, fixture("message-sent.form").replace(MESSAGE_SID, sid));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
        assertThat(TestServer.json(response).path("field").asText()).isEqualTo("MessageSid");
        assertThat(stored(sid).string("type")).isEqualTo("chat");
    }

    @Test
    void aBodyFarLargerThanAnyCallbackIsRefusedBeforeItIsRead() {
        String huge = fixture("message-sent.form") + "&Body=" + "x".repeat(2 * 1024 * 1024);

        HttpResponse<String> response = post(SMS, huge, "Content-Type", FORM, "X-Twilio-Signature", "x");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
    }

    private static void assertRefused(HttpResponse<String> response, String parameter) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = TestServer.json(response);
        assertThat(error.path("field").asText()).as(response.body()).isEqualTo(parameter);
        assertThat(error.path("reason").asText()).as(response.body()).isNotBlank();
    }
}
