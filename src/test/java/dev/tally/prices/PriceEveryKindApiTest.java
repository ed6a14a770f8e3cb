package dev.tally.prices;

import static dev.tally.prices.PriceRequests.admin;
import static dev.tally.prices.PriceRequests.assertField;
import static dev.tally.testing.StoredEvents.row;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.store.sql.Row;
import dev.tally.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The units of version 2 through the API: the price routes take and give their rates, ingest
 * prices stt, tts, sms and calls with them, a later price never changes a stored cost, and what no
 * entry prices is counted per type where the reports show it.
 */
class PriceEveryKindApiTest {
    private static final String DAY = "2026-03-15";
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Clock.fixed(Instant.parse("2026-03-15T12:00:00Z"), ZoneOffset.UTC));
    }

    @AfterAll
    static void stop() {
        server.close();
    }


    private static JsonNode added(String body) {
        HttpResponse<String> response = admin(server, "POST", "/admin/prices", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return TestServer.json(response);
    }

    private static String tenantWithKey(String tenantId) {
        server.createTenant(tenantId, tenantId);
        return server.createKey(tenantId, "events:write", "analytics:read");
    }

    @Test
    void theRoutesTakeAndGiveTheRatesOfEveryUnit() {
        JsonNode call = added("""
                {"tenant_id": "routes", "provider": "twilio", "model": "*", "prefix": "+44", "effective_from": "2026-01-01",
                 "per_minute_outbound": 0.02, "per_minute_inbound": 0.01}""");
        JsonNode stt = added("""
                {"tenant_id": "routes", "provider": "deepgram", "model": "nova-3", "effective_from": "2026-01-01",
                 "per_audio_minute": 0.0043}""");

        assertThat(call.path("unit").asText()).isEqualTo("call_minute");
        assertThat(call.path("prefix").asText()).isEqualTo("+44");
        assertThat(call.path("per_minute_outbound").decimalValue()).isEqualByComparingTo("0.02");
        assertThat(call.path("credit_multiplier").isNull()).isTrue();
        assertThat(stt.path("unit").asText()).isEqualTo("audio_minute");
        JsonNode listed = TestServer.json(admin(server, "GET", "/admin/prices?tenant_id=routes", null)).path("prices");
        assertThat(listed.findValuesAsText("id")).contains(call.path("id").asText(), stt.path("id").asText());
        for (JsonNode entry : listed) {
            if (entry.path("id").asText().equals(stt.path("id").asText())) {
                assertThat(entry.path("per_audio_minute").decimalValue()).isEqualByComparingTo("0.0043");
            }
        }
    }

    @Test
    void aLongContextTierAOneDirectionRateAndASourceRoundTrip() {
        HttpResponse<String> tiered = admin(server, "POST", "/admin/prices", """
                {"tenant_id": "routes", "provider": "anthropic", "model": "claude-tiered*", "effective_from": "2026-01-01",
                 "input_per_million": 3, "output_per_million": 15, "credit_multiplier": 1,
                 "long_context_threshold_tokens": 200000, "long_context_input_per_million": 6,
                 "long_context_output_per_million": 22.5, "source": "https://example.com/pricing"}""");
        HttpResponse<String> outboundOnly = admin(server, "POST", "/admin/prices", """
                {"tenant_id": "routes", "provider": "telnyx", "model": "*", "effective_from": "2026-01-01",
                 "per_segment_outbound": 0.004}""");

        assertThat(tiered.statusCode()).as(tiered.body()).isEqualTo(201);
        assertThat(outboundOnly.statusCode()).as(outboundOnly.body()).isEqualTo(201);
        JsonNode listed = TestServer.json(admin(server, "GET", "/admin/prices?tenant_id=routes", null)).path("prices");
        for (JsonNode entry : listed) {
            if (entry.path("id").asText().equals(TestServer.json(tiered).path("id").asText())) {
                assertThat(entry.path("long_context_threshold_tokens").asLong()).isEqualTo(200_000);
                assertThat(entry.path("long_context_output_per_million").decimalValue()).isEqualByComparingTo("22.5");
                assertThat(entry.path("source").asText()).isEqualTo("https://example.com/pricing");
            }
            if (entry.path("id").asText().equals(TestServer.json(outboundOnly).path("id").asText())) {
                assertThat(entry.path("unit").asText()).isEqualTo("segment");
                assertThat(entry.path("per_segment_inbound").isNull()).isTrue();
            }
        }
        assertThat(listed.findValuesAsText("id")).contains(TestServer.json(tiered).path("id").asText(),
                TestServer.json(outboundOnly).path("id").asText());
    }

    @Test
    void badEntriesOfTheNewUnitsAre400NamingTheField() {
        assertField(admin(server, "POST", "/admin/prices", """
                {"provider": "anthropic", "model": "claude-x", "effective_from": "2026-01-01", "input_per_million": 3,
                 "output_per_million": 15, "credit_multiplier": 1, "long_context_threshold_tokens": 200000}"""),
                400, "long_context_input_per_million");
        assertField(admin(server, "POST", "/admin/prices", """
                {"provider": "anthropic", "model": "claude-x", "effective_from": "2026-01-01", "input_per_million": 3,
                 "output_per_million": 15, "credit_multiplier": 1, "long_context_threshold_tokens": 2.5,
                 "long_context_input_per_million": 6, "long_context_output_per_million": 22.5}"""),
                400, "long_context_threshold_tokens");
        assertField(admin(server, "POST", "/admin/prices", """
                {"provider": "twilio", "model": "*", "effective_from": "2026-01-01", "prefix": "+44",
                 "per_segment_outbound": 0.0079, "per_segment_inbound": 0.0075}"""), 400, "prefix");
        assertField(admin(server, "POST", "/admin/prices", """
                {"provider": "twilio", "model": "*", "effective_from": "2026-01-01", "prefix": "44",
                 "per_minute_outbound": 0.02, "per_minute_inbound": 0.01}"""), 400, "prefix");
        assertField(admin(server, "POST", "/admin/prices", """
                {"provider": "deepgram", "model": "nova-3", "effective_from": "2026-01-01", "per_audio_minute": 0.0043,
                 "per_million_characters": 15}"""), 400, "per_million_characters");
        assertField(admin(server, "POST", "/admin/prices", """
                {"provider": "deepgram", "model": "nova-3", "effective_from": "2026-01-01", "per_audio_minute": 0.0043,
                 "credit_multiplier": 1}"""), 400, "credit_multiplier");
        assertField(admin(server, "POST", "/admin/prices", """
                {"provider": "deepgram", "model": "nova-3", "effective_from": "2026-01-01",
                 "per_audio_minute": 0.0000001}"""), 400, "per_audio_minute");
        assertField(admin(server, "POST", "/admin/prices", """
                {"provider": "deepgram", "model": "nova-3", "effective_from": "2026-01-01",
                 "per_audio_minute": 1e400}"""), 400, "per_audio_minute");
    }

    @Test
    void anotherPrefixIsAnotherEntryButTheSamePrefixTwiceIs409() {
        String uk = """
                {"tenant_id": "prefixes", "provider": "twilio", "model": "*", "prefix": "%s", "effective_from": "2026-02-01",
                 "per_minute_outbound": 0.02, "per_minute_inbound": 0.01}""";
        added(uk.formatted("+44"));
        added(uk.formatted("+447"));

        assertField(admin(server, "POST", "/admin/prices", uk.formatted("+44")), 409, "effective_from");
    }

    @Test
    void everyKindIsPricedAtIngestAndALaterPriceNeverChangesItsCost() {
        String key = tenantWithKey("kinds");
        added("""
                {"tenant_id": "kinds", "provider": "deepgram", "model": "nova*", "effective_from": "2026-01-01",
                 "per_audio_minute": 0.006}""");
        added("""
                {"tenant_id": "kinds", "provider": "elevenlabs", "model": "*", "effective_from": "2026-01-01",
                 "per_million_characters": 30}""");
        added("""
                {"tenant_id": "kinds", "provider": "twilio", "model": "*", "effective_from": "2026-01-01",
                 "per_segment_outbound": 0.0079, "per_segment_inbound": 0.005}""");
        added("""
                {"tenant_id": "kinds", "provider": "twilio", "model": "*", "effective_from": "2026-01-01",
                 "per_minute_outbound": 0.014, "per_minute_inbound": 0.0085}""");
        added("""
                {"tenant_id": "kinds", "provider": "twilio", "model": "*", "prefix": "+44", "effective_from": "2026-01-01",
                 "per_minute_outbound": 0.03, "per_minute_inbound": 0.01}""");

        JsonNode result = server.ingest(key, """
                [{"id": "stt-1", "type": "stt", "time": "2026-03-15T10:00:00Z", "provider": "deepgram", "model": "nova-3",
                  "duration_seconds": 30},
                 {"id": "tts-1", "type": "tts", "time": "2026-03-15T10:00:00Z", "provider": "elevenlabs",
                  "model": "eleven_flash_v2_5", "characters": 1000},
                 {"id": "sms-out", "type": "sms", "time": "2026-03-15T10:00:00Z", "direction": "outbound",
                  "body": "hello"},
                 {"id": "sms-in", "type": "sms", "time": "2026-03-15T10:00:00Z", "direction": "inbound",
                  "body": "hi", "segments": 3},
                 {"id": "call-uk", "type": "call", "time": "2026-03-15T10:00:00Z", "status": "completed",
                  "direction": "outbound", "phone_number": "+442071234567", "provider": "twilio",
                  "ended_at": "2026-03-15T10:02:00Z"},
                 {"id": "call-us", "type": "call", "time": "2026-03-15T10:00:00Z", "status": "completed",
                  "direction": "inbound", "phone_number": "+14155550100", "provider": "twilio",
                  "ended_at": "2026-03-15T10:01:30Z"},
                 {"id": "call-reported", "type": "call", "time": "2026-03-15T10:00:00Z", "status": "completed",
                  "direction": "outbound", "phone_number": "+442071234567", "provider": "twilio",
                  "ended_at": "2026-03-15T10:02:00Z", "cost_usd": 0.5}]""");
        assertThat(result.path("accepted").asInt()).as(result.toString()).isEqualTo(7);

        assertCost("kinds", "events", "stt-1", 3_000_000L, "computed");
        assertCost("kinds", "events", "tts-1", 30_000_000L, "computed");
        assertCost("kinds", "events", "sms-out", 7_900_000L, "computed");
        assertCost("kinds", "events", "sms-in", 15_000_000L, "computed");
        assertCost("kinds", "calls", "call-uk", 60_000_000L, "computed");
        assertCost("kinds", "calls", "call-us", 12_750_000L, "computed");
        assertCost("kinds", "calls", "call-reported", 500_000_000L, "reported");

        added("""
                {"tenant_id": "kinds", "provider": "deepgram", "model": "nova*", "effective_from": "2026-03-15",
                 "per_audio_minute": 0.012}""");
        server.ingest(key, """
                {"id": "stt-2", "type": "stt", "time": "2026-03-15T11:00:00Z", "provider": "deepgram", "model": "nova-3",
                 "duration_seconds": 30}""");

        assertCost("kinds", "events", "stt-1", 3_000_000L, "computed");
        assertCost("kinds", "events", "stt-2", 6_000_000L, "computed");
    }

    @Test
    void whatNoEntryPricesIsCountedPerTypeWhereTheReportsShowIt() {
        String key = tenantWithKey("unpriced-kinds");
        server.ingest(key, """
                [{"id": "stt-u", "type": "stt", "time": "2026-03-15T10:00:00Z", "provider": "nobody", "duration_seconds": 5},
                 {"id": "stt-r", "type": "stt", "time": "2026-03-15T10:00:00Z", "provider": "nobody",
                  "duration_seconds": 5, "cost_usd": 0.001},
                 {"id": "tts-u", "type": "tts", "time": "2026-03-15T10:00:00Z", "provider": "nobody", "characters": 5},
                 {"id": "tts-v", "type": "tts", "time": "2026-03-15T10:00:00Z", "provider": "nobody", "characters": 7},
                 {"id": "sms-u", "type": "sms", "time": "2026-03-15T10:00:00Z", "direction": "outbound", "body": "x"},
                 {"id": "call-u", "type": "call", "time": "2026-03-15T10:00:00Z", "status": "completed",
                  "direction": "outbound", "ended_at": "2026-03-15T10:01:00Z"},
                 {"id": "call-r", "type": "call", "time": "2026-03-15T10:00:00Z", "status": "completed",
                  "direction": "outbound", "ended_at": "2026-03-15T10:01:00Z", "cost_usd": 0.01},
                 {"id": "fee-1", "type": "fee", "time": "2026-03-15T10:00:00Z", "kind": "platform", "cost_usd": 0.05}]""");

        assertCost("unpriced-kinds", "events", "stt-u", 0L, "unpriced");
        assertCost("unpriced-kinds", "calls", "call-u", 0L, "unpriced");
        assertCost("unpriced-kinds", "events", "fee-1", 50_000_000L, "reported");
        String range = "?start_date=" + DAY + "&end_date=" + DAY;
        JsonNode voice = report("/api/v2/w/unpriced-kinds/reports/voice-usage" + range, key);
        assertThat(voice.path("unpricedSttMessages").asLong()).isEqualTo(1);
        assertThat(voice.path("unpricedTtsMessages").asLong()).isEqualTo(2);
        JsonNode sms = report("/api/v2/w/unpriced-kinds/reports/sms-usage" + range, key);
        assertThat(sms.path("unpricedMessages").asLong()).isEqualTo(1);
        JsonNode spend = report("/v1/analytics/spend?from=" + DAY + "&to=" + DAY, key);
        assertThat(spend.path("telecom_costs").path("unpriced_calls").asLong()).isEqualTo(1);
        assertThat(spend.path("total_spent").decimalValue()).as("the fee is no carrier cost").isEqualByComparingTo("0.01");
    }

    private static JsonNode report(String path, String key) {
        HttpResponse<String> response = server.getWithKey(path, key);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestServer.json(response);
    }

    private static void assertCost(String tenant, String table, String id, long nanos, String source) {
        Row event = row(server.tally().events(), table, tenant, id);
        assertThat(event.longValue("cost_nanos")).as(id).isEqualTo(nanos);
        assertThat(event.string("cost_source")).as(id).isEqualTo(source);
    }
}
