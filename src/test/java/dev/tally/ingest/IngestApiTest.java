package dev.tally.ingest;

import static dev.tally.testing.StoredEvents.count;
import static dev.tally.testing.StoredEvents.row;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.store.EventStore;
import dev.tally.store.sql.Row;
import dev.tally.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** POST /v1/events: the body formats, partial batches, call states and SMS bodies, checked in the store. */
class IngestApiTest {
    private static TestServer server;
    private static EventStore store;

    @BeforeAll
    static void start() {
        server = TestServer.start(Clock.fixed(Instant.parse("2026-03-15T12:00:00Z"), ZoneOffset.UTC));
        store = server.tally().events();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String tenantWithKey(String tenantId) {
        server.createTenant(tenantId, tenantId);
        return server.createKey(tenantId, "events:write");
    }

    private static HttpResponse<String> post(String key, String body, String contentType) {
        return server.post("/v1/events", body, "Authorization", "Bearer " + key, "Content-Type", contentType);
    }

    @Test
    void jsonArrayIsStored() {
        String key = tenantWithKey("array");

        JsonNode result = server.ingest(key, """
                [{"id": "a1", "type": "chat", "time": "2026-03-15T10:00:00Z", "member_id": "m1"},
                 {"id": "a2", "type": "stt", "time": "2026-03-15T10:00:01+02:00", "duration_seconds": 12.5}]""");

        assertThat(result.path("accepted").asInt()).isEqualTo(2);
        assertThat(count(store, "events", "array")).isEqualTo(2);
        assertThat(row(store, "events", "array", "a1").string("member_id")).isEqualTo("m1");
        Row stt = row(store, "events", "array", "a2");
        assertThat(stt.longValue("duration_ms")).isEqualTo(12_500);
        // 10:00:01+02:00 is 08:00:01 UTC
        assertThat(stt.longValue("time_ms")).isEqualTo(Instant.parse("2026-03-15T08:00:01Z").toEpochMilli());
    }

    @Test
    void singleObjectIsStored() {
        String key = tenantWithKey("single");

        JsonNode result = server.ingest(key, """
                {"id": "s1", "type": "tts", "time": "2026-03-15T10:00:00Z", "characters": 120,
                 "audio_duration_seconds": 7.25, "attributes": {"env": "prod"}}""");

        assertThat(result.path("accepted").asInt()).isEqualTo(1);
        Row tts = row(store, "events", "single", "s1");
        assertThat(tts.longValue("characters")).isEqualTo(120);
        assertThat(tts.longValue("audio_duration_ms")).isEqualTo(7_250);
        assertThat(tts.string("attributes")).isEqualTo("{\"env\":\"prod\"}");
    }

    @Test
    void ndjsonIsStoredAndABadLineRejectsOnlyItself() {
        String key = tenantWithKey("ndjson");
        String body = """
                {"id": "n1", "type": "chat", "time": "2026-03-15T10:00:00Z"}
                {"id": "n2", "type": "message", "time": "2026-03-15T10:00:00Z", "role": "user", "chat_id": "n1"}

                {not json
                {"id": "n3", "type": "chat", "time": "2026-03-15T10:00:00Z"}
                """;

        HttpResponse<String> response = post(key, body, "application/x-ndjson");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode result = TestServer.json(response);
        assertThat(result.path("accepted").asInt()).isEqualTo(3);
        assertThat(result.path("rejected").asInt()).isEqualTo(1);
        assertThat(result.path("results").get(0).path("index").asInt()).isEqualTo(2);
        assertThat(result.path("results").get(0).path("field").asText()).isEqualTo("body");
        assertThat(count(store, "events", "ndjson")).isEqualTo(3);
        assertThat(row(store, "events", "ndjson", "n2").string("role")).isEqualTo("user");
    }

    @Test
    void partialBatchStoresTheValidEventsAndNamesTheInvalid() {
        String key = tenantWithKey("partial");

        HttpResponse<String> response = post(key, """
                [{"id": "ok-1", "type": "chat", "time": "2026-03-15T10:00:00Z"},
                 {"id": "bad-1", "type": "llm", "time": "2026-03-15T10:00:00Z", "model": "gpt-4o", "input_tokens": -5},
                 {"id": "ok-2", "type": "chat", "time": "2026-03-15T10:00:00Z"},
                 {"id": "bad-2", "type": "call", "time": "2026-03-15T10:00:00Z"}]""", "application/json");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode result = TestServer.json(response);
        assertThat(result.path("accepted").asInt()).isEqualTo(2);
        assertThat(result.path("rejected").asInt()).isEqualTo(2);
        JsonNode first = result.path("results").get(0);
        assertThat(first.path("index").asInt()).isEqualTo(1);
        assertThat(first.path("id").asText()).isEqualTo("bad-1");
        assertThat(first.path("status").asText()).isEqualTo("rejected");
        assertThat(first.path("field").asText()).isEqualTo("input_tokens");
        assertThat(first.path("reason").asText()).contains("negative");
        JsonNode second = result.path("results").get(1);
        assertThat(second.path("index").asInt()).isEqualTo(3);
        assertThat(second.path("id").asText()).isEqualTo("bad-2");
        assertThat(second.path("field").asText()).isEqualTo("status");
        assertThat(count(store, "events", "partial")).isEqualTo(2);
        assertThat(count(store, "calls", "partial")).isZero();
    }

    @Test
    void allInvalidBatchIs400AndStoresNothing() {
        String key = tenantWithKey("allbad");

        HttpResponse<String> response = post(key, """
                [{"id": "x1", "type": "video", "time": "2026-03-15T10:00:00Z"},
                 {"id": "x2", "type": "chat"}]""", "application/json");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = TestServer.json(response);
        assertThat(error.path("field").asText()).isEqualTo("type");
        assertThat(error.path("rejected").asInt()).isEqualTo(2);
        assertThat(error.path("results").get(1).path("field").asText()).isEqualTo("time");
        assertThat(count(store, "events", "allbad")).isZero();
    }

    @Test
    void callInProgressThenCompletedIsOneCompletedRow() {
        String key = tenantWithKey("calls-forward");
        server.ingest(key, """
                {"id": "c1", "type": "call", "time": "2026-03-15T10:00:00Z", "status": "in_progress",
                 "direction": "inbound", "phone_number": "+14155550100"}""");

        JsonNode result = server.ingest(key, """
                {"id": "c1", "type": "call", "time": "2026-03-15T10:00:00Z", "status": "completed",
                 "ended_at": "2026-03-15T10:02:30Z", "direction": "inbound", "phone_number": "+14155550100",
                 "sentiment": "positive", "cost_usd": 0.0123}""");

        assertThat(result.path("accepted").asInt()).isEqualTo(1);
        assertThat(result.path("results").get(0).path("status").asText()).isEqualTo("updated");
        assertThat(count(store, "calls", "calls-forward")).isEqualTo(1);
        Row call = row(store, "calls", "calls-forward", "c1");
        assertThat(call.string("status")).isEqualTo("completed");
        assertThat(call.longValue("duration_ms")).isEqualTo(150_000);
        assertThat(call.string("sentiment")).isEqualTo("positive");
        assertThat(call.longValue("cost_nanos")).isEqualTo(12_300_000);
        assertThat(call.string("cost_source")).isEqualTo("reported");
    }

    @Test
    void callCompletedThenInProgressIsStale() {
        String key = tenantWithKey("calls-back");
        server.ingest(key, """
                {"id": "c1", "type": "call", "time": "2026-03-15T10:00:00Z", "status": "completed",
                 "ended_at": "2026-03-15T10:01:00Z"}""");

        HttpResponse<String> response = post(key, """
                {"id": "c1", "type": "call", "time": "2026-03-15T10:00:00Z", "status": "in_progress"}""",
                "application/json");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode result = TestServer.json(response);
        assertThat(result.path("accepted").asInt()).isZero();
        assertThat(result.path("duplicates").asInt()).isEqualTo(1);
        assertThat(result.path("results").get(0).path("status").asText()).isEqualTo("stale");
        Row call = row(store, "calls", "calls-back", "c1");
        assertThat(call.string("status")).isEqualTo("completed");
        assertThat(call.longValue("duration_ms")).isEqualTo(60_000);
    }

    @Test
    void smsBodyIsCountedButKeptOnlyWhenTheTenantAsks() {
        String key = tenantWithKey("sms");
        String sms = """
                {"id": "%s", "type": "sms", "time": "2026-03-15T10:00:00Z", "direction": "outbound",
                 "phone_number": "+14155550100", "body": "Your code is 1234"}""";
        server.ingest(key, sms.formatted("sms-1"));

        HttpResponse<String> patched = server.send("PATCH", "/admin/tenants/sms", "{\"store_sms_bodies\": true}",
                "X-Admin-Token", TestServer.ADMIN_TOKEN);
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        server.ingest(key, sms.formatted("sms-2"));

        Row counted = row(store, "events", "sms", "sms-1");
        assertThat(counted.string("body")).isNull();
        assertThat(counted.longValue("characters")).isEqualTo(17);
        assertThat(counted.string("encoding")).isEqualTo("gsm7");
        assertThat(counted.longValue("segments")).isEqualTo(1);
        assertThat(row(store, "events", "sms", "sms-2").string("body")).isEqualTo("Your code is 1234");
    }

    @Test
    void smsWithCharactersAndEncodingIsCounted() {
        String key = tenantWithKey("sms-count");

        server.ingest(key, """
                {"id": "u1", "type": "sms", "time": "2026-03-15T10:00:00Z", "direction": "inbound",
                 "characters": 71, "encoding": "ucs2"}""");

        Row sms = row(store, "events", "sms-count", "u1");
        // 71 UCS-2 characters do not fit one segment of 70, so they are split in segments of 67: two.
        assertThat(sms.longValue("segments")).isEqualTo(2);
        assertThat(sms.string("body")).isNull();
    }

    @Test
    void platformKeyWritesToTheNamedTenant() {
        server.createTenant("platform-target", "Target");
        String platformKey = server.createKey(null, "events:write");

        server.ingest(platformKey, """
                {"id": "p1", "type": "chat", "time": "2026-03-15T10:00:00Z", "tenant_id": "platform-target"}""");

        assertThat(count(store, "events", "platform-target")).isEqualTo(1);
    }

    @Test
    void tenantKeyMayRepeatItsOwnTenant() {
        String key = tenantWithKey("own");

        server.ingest(key, """
                {"id": "o1", "type": "chat", "time": "2026-03-15T10:00:00Z", "tenant_id": "own"}""");

        assertThat(count(store, "events", "own")).isEqualTo(1);
    }
}
