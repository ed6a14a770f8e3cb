package dev.tally.report.usage;

import static dev.tally.report.usage.UsageTesting.OTHER_TENANT;
import static dev.tally.report.usage.UsageTesting.TENANT;
import static dev.tally.report.usage.UsageTesting.ok;
import static dev.tally.report.usage.UsageTesting.report;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SMS, phone and voice reports against one hand-built fixture (numbers +15550001111 = "one",
 * +15550002222 = "two").
 *
 * <pre>
 * SMS  s1 2026-03-01 00:00:00 out one "hello" (5 chars, 1 segment)   s2 03-01 23:59:59 in  one 200 gsm7 (2 segments)
 *      s3 2026-03-01 12:00    out two 100 ucs2 (2 segments)          s4 03-02 00:00:00 out one 160 gsm7 (1 segment)
 *      s5 2026-02-28 23:59:59 in  one 10 gsm7 (previous month)       s6 03-15 11:00    in  two 10 gsm7 (1 segment)
 * Call c1 2026-03-01 10:00 completed in  one 90.4 s     c2 03-01 20:00 failed    out one 10.3 s
 *      c3 2026-03-01 11:00 in_progress in one (never counts)
 *      c4 2026-03-03 00:00 completed out two 59.5 s     c5 02-28 23:59:59 completed in one (previous month)
 *      c6 2026-03-03 05:00 in two, sent in_progress then completed at 05:02 without a duration: 120 s
 * STT  v1 03-01 deepgram/nova-2 12.5 s   v2 03-01 deepgram/nova-2 7.25 s   v3 03-02 openai/whisper-1 60 s
 *      v4 02-27 deepgram/nova-2 5 s (previous month)
 * TTS  t1 03-01 elevenlabs/turbo 120 chars   t2 03-02 elevenlabs/turbo 80   t3 03-02 openai/tts-1 50
 * </pre>
 * The other tenant has an SMS, a call, an STT and a TTS event on 2026-03-01 on the same number.
 */
class CommunicationUsageApiTest {
    private static TestServer server;
    private static String key;

    @BeforeAll
    static void fixture() {
        server = UsageTesting.start();
        key = UsageTesting.key(server, TENANT, "analytics:read", "events:write");
        server.ingest(key, """
                [{"id": "s1", "type": "sms", "time": "2026-03-01T00:00:00Z", "direction": "outbound",
                  "phone_number": "+15550001111", "body": "hello"},
                 {"id": "s2", "type": "sms", "time": "2026-03-01T23:59:59Z", "direction": "inbound",
                  "phone_number": "+15550001111", "characters": 200, "encoding": "gsm7"},
                 {"id": "s3", "type": "sms", "time": "2026-03-01T12:00:00Z", "direction": "outbound",
                  "phone_number": "+15550002222", "characters": 100, "encoding": "ucs2"},
                 {"id": "s4", "type": "sms", "time": "2026-03-02T00:00:00Z", "direction": "outbound",
                  "phone_number": "+15550001111", "characters": 160, "encoding": "gsm7"},
                 {"id": "s5", "type": "sms", "time": "2026-02-28T23:59:59Z", "direction": "inbound",
                  "phone_number": "+15550001111", "characters": 10, "encoding": "gsm7"},
                 {"id": "s6", "type": "sms", "time": "2026-03-15T11:00:00Z", "direction": "inbound",
                  "phone_number": "+15550002222", "characters": 10, "encoding": "gsm7"},
                 {"id": "c1", "type": "call", "time": "2026-03-01T10:00:00Z", "status": "completed",
                  "direction": "inbound", "phone_number": "+15550001111", "ended_at": "2026-03-01T10:01:30.400Z",
                  "duration_seconds": 90.4},
                 {"id": "c2", "type": "call", "time": "2026-03-01T20:00:00Z", "status": "failed",
                  "direction": "outbound", "phone_number": "+15550001111", "ended_at": "2026-03-01T20:00:10.300Z",
                  "duration_seconds": 10.3},
                 {"id": "c3", "type": "call", "time": "2026-03-01T11:00:00Z", "status": "in_progress",
                  "direction": "inbound", "phone_number": "+15550001111"},
                 {"id": "c4", "type": "call", "time": "2026-03-03T00:00:00Z", "status": "completed",
                  "direction": "outbound", "phone_number": "+15550002222", "ended_at": "2026-03-03T00:01:00Z",
                  "duration_seconds": 59.5},
                 {"id": "c5", "type": "call", "time": "2026-02-28T23:59:59Z", "status": "completed",
                  "direction": "inbound", "phone_number": "+15550001111", "ended_at": "2026-03-01T00:05:00Z"},
                 {"id": "c6", "type": "call", "time": "2026-03-03T05:00:00Z", "status": "in_progress",
                  "direction": "inbound", "phone_number": "+15550002222"},
                 {"id": "v1", "type": "stt", "time": "2026-03-01T05:00:00Z", "provider": "deepgram", "model": "nova-2",
                  "duration_seconds": 12.5},
                 {"id": "v2", "type": "stt", "time": "2026-03-01T06:00:00Z", "provider": "deepgram", "model": "nova-2",
                  "duration_seconds": 7.25},
                 {"id": "v3", "type": "stt", "time": "2026-03-02T06:00:00Z", "provider": "openai", "model": "whisper-1",
                  "duration_seconds": 60},
                 {"id": "v4", "type": "stt", "time": "2026-02-27T06:00:00Z", "provider": "deepgram", "model": "nova-2",
                  "duration_seconds": 5},
                 {"id": "t1", "type": "tts", "time": "2026-03-01T05:00:00Z", "provider": "elevenlabs", "model": "turbo",
                  "characters": 120},
                 {"id": "t2", "type": "tts", "time": "2026-03-02T05:00:00Z", "provider": "elevenlabs", "model": "turbo",
                  "characters": 80},
                 {"id": "t3", "type": "tts", "time": "2026-03-02T07:00:00Z", "provider": "openai", "model": "tts-1",
                  "characters": 50}]""");
        server.ingest(key, """
                {"id": "c6", "type": "call", "time": "2026-03-03T05:00:00Z", "status": "completed",
                 "direction": "inbound", "phone_number": "+15550002222", "ended_at": "2026-03-03T05:02:00Z"}""");
        String other = UsageTesting.key(server, OTHER_TENANT, "events:write");
        server.ingest(other, """
                [{"id": "s1", "type": "sms", "time": "2026-03-01T10:00:00Z", "direction": "outbound",
                  "phone_number": "+15550001111", "characters": 1000, "encoding": "gsm7"},
                 {"id": "c1", "type": "call", "time": "2026-03-01T10:00:00Z", "status": "completed",
                  "direction": "outbound", "phone_number": "+15550001111", "ended_at": "2026-03-01T11:00:00Z"},
                 {"id": "v1", "type": "stt", "time": "2026-03-01T05:00:00Z", "provider": "deepgram", "model": "nova-2",
                  "duration_seconds": 1000},
                 {"id": "t1", "type": "tts", "time": "2026-03-01T05:00:00Z", "provider": "elevenlabs", "model": "turbo",
                  "characters": 1000}]""");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void smsDefaultsToTheCurrentUtcMonth() {
        JsonNode report = ok(server, report(TENANT, "sms-usage"), key);

        assertThat(report.path("startDate").asText()).isEqualTo("2026-03-01");
        assertThat(report.path("endDate").asText()).isEqualTo("2026-03-31");
        assertThat(report.path("totalMessages").asLong()).isEqualTo(5);
        assertThat(report.path("totalInbound").asLong()).isEqualTo(2);
        assertThat(report.path("totalOutbound").asLong()).isEqualTo(3);
        assertThat(report.path("totalCharacters").asLong()).isEqualTo(5 + 200 + 100 + 160 + 10);
        assertThat(report.path("totalSegments").asLong()).isEqualTo(7);
        assertThat(report.path("totalInboundSegments").asLong()).isEqualTo(3);
        assertThat(report.path("totalOutboundSegments").asLong()).isEqualTo(4);
    }

    @Test
    void smsRowsArePerUtcDateAndNumber() {
        JsonNode rows = ok(server, report(TENANT, "sms-usage"), key).path("rows");

        assertThat(rows).hasSize(4);
        assertSmsRow(rows.get(0), "2026-03-01", "+15550001111", 1, 1, 2, 1, 205);
        assertSmsRow(rows.get(1), "2026-03-01", "+15550002222", 0, 1, 0, 2, 100);
        assertSmsRow(rows.get(2), "2026-03-02", "+15550001111", 0, 1, 0, 1, 160);
        assertSmsRow(rows.get(3), "2026-03-15", "+15550002222", 1, 0, 1, 0, 10);
    }

    @Test
    void smsSingleDayAndEmptyRange() {
        JsonNode day = ok(server, report(TENANT, "sms-usage") + "?start_date=2026-02-28&end_date=2026-02-28", key);
        assertThat(day.path("totalMessages").asLong()).isEqualTo(1);
        assertSmsRow(day.path("rows").get(0), "2026-02-28", "+15550001111", 1, 0, 1, 0, 10);

        JsonNode empty = ok(server, report(TENANT, "sms-usage") + "?start_date=2026-03-03&end_date=2026-03-14", key);
        assertThat(empty.path("totalMessages").asLong()).isZero();
        assertThat(empty.path("totalSegments").asLong()).isZero();
        assertThat(empty.path("rows")).isEmpty();
    }

    @Test
    void smsCsvHasTheRowsAlsoWhenAskedByAcceptHeader() {
        HttpResponse<String> response = server.get(report(TENANT, "sms-usage"), "Authorization", "Bearer " + key,
                "Accept", "text/csv");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> lines = response.body().lines().toList();

        assertThat(lines.get(0)).isEqualTo("date,phoneNumber,inbound,outbound,inboundSegments,outboundSegments,characters");
        assertThat(lines.get(1)).isEqualTo("2026-03-01,'+15550001111,1,1,2,1,205");
        assertThat(lines).hasSize(5);
        assertThat(csv(report(TENANT, "sms-usage"))).isEqualTo(lines);
    }

    @Test
    void phoneCountsFinishedCallsOnTheirStartDay() {
        JsonNode report = ok(server, report(TENANT, "phone-usage"), key);

        assertThat(report.path("startDate").asText()).isEqualTo("2026-03-01");
        assertThat(report.path("endDate").asText()).isEqualTo("2026-03-31");
        assertThat(report.path("totalCalls").asLong()).isEqualTo(4);
        assertThat(report.path("totalInbound").asLong()).isEqualTo(2);
        assertThat(report.path("totalOutbound").asLong()).isEqualTo(2);
        // 90.4 + 10.3 + 59.5 + 120 = 280.2 s, rounded once
        assertThat(report.path("totalDurationSeconds").asLong()).isEqualTo(280);
        JsonNode rows = report.path("rows");
        assertThat(rows).hasSize(2);
        // 100.7 s → 101; 179.5 s → 180 (half up): the rows add to 281, the total stays 280
        assertPhoneRow(rows.get(0), "2026-03-01", "+15550001111", 1, 1, 101);
        assertPhoneRow(rows.get(1), "2026-03-03", "+15550002222", 1, 1, 180);
    }

    @Test
    void phoneRangeEdgesAndCsv() {
        JsonNode february = ok(server, report(TENANT, "phone-usage") + "?start_date=2026-02-28&end_date=2026-02-28", key);
        assertThat(february.path("totalCalls").asLong()).as("c5 started 23:59:59").isEqualTo(1);
        assertThat(february.path("totalDurationSeconds").asLong()).isEqualTo(301);

        JsonNode empty = ok(server, report(TENANT, "phone-usage") + "?start_date=2026-03-02&end_date=2026-03-02", key);
        assertThat(empty.path("totalCalls").asLong()).isZero();
        assertThat(empty.path("rows")).isEmpty();

        List<String> lines = csv(report(TENANT, "phone-usage"));
        assertThat(lines).containsExactly("date,phoneNumber,inbound,outbound,totalDurationSeconds",
                "2026-03-01,'+15550001111,1,1,101", "2026-03-03,'+15550002222,1,1,180");
    }

    @Test
    void voiceSumsSttSecondsAndTtsCharacters() {
        JsonNode report = ok(server, report(TENANT, "voice-usage"), key);

        assertThat(report.path("startDate").asText()).isEqualTo("2026-03-01");
        assertThat(report.path("endDate").asText()).isEqualTo("2026-03-31");
        assertThat(report.path("totalSttDurationSeconds").decimalValue()).isEqualByComparingTo("79.75");
        assertThat(report.path("totalSttMessages").asLong()).isEqualTo(3);
        assertThat(report.path("totalTtsCharacters").asLong()).isEqualTo(250);
        assertThat(report.path("totalTtsMessages").asLong()).isEqualTo(3);

        JsonNode stt = report.path("sttByProvider");
        assertThat(stt).hasSize(2);
        assertVoice(stt.get(0), null, "deepgram", "nova-2", "durationSeconds", "19.75", 2);
        assertVoice(stt.get(1), null, "openai", "whisper-1", "durationSeconds", "60", 1);
        JsonNode tts = report.path("ttsByProvider");
        assertThat(tts).hasSize(2);
        assertVoice(tts.get(0), null, "elevenlabs", "turbo", "characters", "200", 2);
        assertVoice(tts.get(1), null, "openai", "tts-1", "characters", "50", 1);
    }

    @Test
    void voiceDailyRows() {
        JsonNode report = ok(server, report(TENANT, "voice-usage"), key);

        JsonNode stt = report.path("sttRows");
        assertThat(stt).hasSize(2);
        assertVoice(stt.get(0), "2026-03-01", "deepgram", "nova-2", "durationSeconds", "19.75", 2);
        assertVoice(stt.get(1), "2026-03-02", "openai", "whisper-1", "durationSeconds", "60", 1);
        JsonNode tts = report.path("ttsRows");
        assertThat(tts).hasSize(3);
        assertVoice(tts.get(0), "2026-03-01", "elevenlabs", "turbo", "characters", "120", 1);
        assertVoice(tts.get(1), "2026-03-02", "elevenlabs", "turbo", "characters", "80", 1);
        assertVoice(tts.get(2), "2026-03-02", "openai", "tts-1", "characters", "50", 1);

        List<String> lines = csv(report(TENANT, "voice-usage"));
        assertThat(lines.get(0)).isEqualTo("kind,date,provider,model,durationSeconds,characters,messages");
        assertThat(lines).contains("stt,2026-03-01,deepgram,nova-2,19.75,,2", "tts,2026-03-02,openai,tts-1,,50,1");
        assertThat(lines).hasSize(6);
    }

    @Test
    void voiceEmptyRange() {
        JsonNode report = ok(server, report(TENANT, "voice-usage") + "?start_date=2026-03-10&end_date=2026-03-10", key);

        assertThat(report.path("totalSttDurationSeconds").asText()).isEqualTo("0");
        assertThat(report.path("totalTtsMessages").asLong()).isZero();
        assertThat(report.path("sttByProvider")).isEmpty();
        assertThat(report.path("ttsRows")).isEmpty();
    }

    private static List<String> csv(String path) {
        HttpResponse<String> response = server.getWithKey(path + "?format=csv", key);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body().lines().toList();
    }

    private static void assertSmsRow(JsonNode row, String date, String number, long inbound, long outbound,
                                     long inboundSegments, long outboundSegments, long characters) {
        assertThat(row.path("date").asText()).isEqualTo(date);
        assertThat(row.path("phoneNumber").asText()).isEqualTo(number);
        assertThat(row.path("inbound").asLong()).isEqualTo(inbound);
        assertThat(row.path("outbound").asLong()).isEqualTo(outbound);
        assertThat(row.path("inboundSegments").asLong()).isEqualTo(inboundSegments);
        assertThat(row.path("outboundSegments").asLong()).isEqualTo(outboundSegments);
        assertThat(row.path("characters").asLong()).isEqualTo(characters);
    }

    private static void assertPhoneRow(JsonNode row, String date, String number, long inbound, long outbound,
                                       long seconds) {
        assertThat(row.path("date").asText()).isEqualTo(date);
        assertThat(row.path("phoneNumber").asText()).isEqualTo(number);
        assertThat(row.path("inbound").asLong()).isEqualTo(inbound);
        assertThat(row.path("outbound").asLong()).isEqualTo(outbound);
        assertThat(row.path("totalDurationSeconds").asLong()).isEqualTo(seconds);
    }

    private static void assertVoice(JsonNode row, String date, String provider, String model, String amountField,
                                    String amount, long messages) {
        if (date != null) {
            assertThat(row.path("date").asText()).isEqualTo(date);
        }
        assertThat(row.path("provider").asText()).isEqualTo(provider);
        assertThat(row.path("model").asText()).isEqualTo(model);
        assertThat(row.path(amountField).decimalValue()).isEqualByComparingTo(amount);
        assertThat(row.path("messages").asLong()).isEqualTo(messages);
    }
}
