package dev.tally.ingest;

import static dev.tally.testing.StoredEvents.count;
import static dev.tally.testing.StoredEvents.row;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.store.sql.Row;
import dev.tally.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fields of version 2 of the contract and the {@code fee} type: stored as sent, each bad one a 400 naming it. */
class IngestVersionTwoFieldsApiTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-15T12:00:00Z"), ZoneOffset.UTC);
    private static TestServer server;
    private static String acmeKey;

    @BeforeAll
    static void start() {
        server = TestServer.start(CLOCK);
        server.createTenant("acme", "Acme");
        acmeKey = server.createKey("acme", "events:write");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** An event valid without the fields a case adds, by the name the cases give it. */
    private static final Map<String, String> VALID = Map.of(
            "call", "{\"id\": \"c\", \"type\": \"call\", \"time\": \"2026-03-15T10:00:00Z\", \"status\": \"in_progress\"",
            "stt", "{\"id\": \"s\", \"type\": \"stt\", \"time\": \"2026-03-15T10:00:00Z\"",
            "tts", "{\"id\": \"t\", \"type\": \"tts\", \"time\": \"2026-03-15T10:00:00Z\"",
            "sms", "{\"id\": \"m\", \"type\": \"sms\", \"time\": \"2026-03-15T10:00:00Z\", \"direction\": \"outbound\","
                    + " \"body\": \"hi\"",
            "fee", "{\"id\": \"f\", \"type\": \"fee\", \"time\": \"2026-03-15T10:00:00Z\"",
            "old fee", "{\"id\": \"f\", \"type\": \"fee\", \"time\": \"1999-12-31T23:59:59Z\"");

    private static String event(String valid, String fields) {
        return VALID.get(valid) + (fields == null ? "" : ", " + fields) + "}";
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            negative revision                    | stt     | "revision": -1                                             | revision
            fractional revision                  | stt     | "revision": 1.5                                            | revision
            revision as a string                 | fee     | "cost_usd": 1, "kind": "other", "revision": "2"            | revision
            revision above 10^12                 | sms     | "revision": 1000000000001                                  | revision
            call provider with a control char    | call    | "provider": "twi\\u0007lio"                                | provider
            call provider as a number            | call    | "provider": 7                                              | provider
            negative reported total              | call    | "reported_total_cost_usd": -0.01                           | reported_total_cost_usd
            reported total above a million       | call    | "reported_total_cost_usd": 1000000.000000001               | reported_total_cost_usd
            reported total 1e400                 | call    | "reported_total_cost_usd": 1e400                           | reported_total_cost_usd
            stt cost negative                    | stt     | "cost_usd": -1                                             | cost_usd
            tts cost above a million             | tts     | "cost_usd": 1000001                                        | cost_usd
            sms cost as a string                 | sms     | "cost_usd": "0.01"                                         | cost_usd
            sms segments negative                | sms     | "segments": -1                                             | segments
            sms segments fractional              | sms     | "segments": 1.5                                            | segments
            sms segments above 10^12             | sms     | "segments": 1000000000001                                  | segments
            fee without cost                     | fee     | "kind": "platform"                                         | cost_usd
            fee with a null cost                 | fee     | "kind": "platform", "cost_usd": null                       | cost_usd
            fee with a negative cost             | fee     | "kind": "platform", "cost_usd": -0.5                       | cost_usd
            fee above a million                  | fee     | "kind": "platform", "cost_usd": 2000000                    | cost_usd
            fee without kind                     | fee     | "cost_usd": 0.5                                            | kind
            fee of an unknown kind               | fee     | "cost_usd": 0.5, "kind": "tip"                             | kind
            fee of an llm kind                   | fee     | "cost_usd": 0.5, "kind": "realtime"                        | kind
            fee quantity negative                | fee     | "cost_usd": 0.5, "kind": "other", "quantity": -3           | quantity
            fee quantity as a string             | fee     | "cost_usd": 0.5, "kind": "other", "quantity": "3.5"        | quantity
            fee quantity above 10^12             | fee     | "cost_usd": 0.5, "kind": "other", "quantity": 1000000000000.5 | quantity
            fee unit with a NUL                  | fee     | "cost_usd": 0.5, "kind": "other", "unit": "min\\u0000"     | unit
            fee call_id with an unpaired surrogate | fee   | "cost_usd": 0.5, "kind": "analysis", "call_id": "c\\ud800" | call_id
            fee call_id with a line break        | fee     | "cost_usd": 0.5, "kind": "analysis", "call_id": "c\\n1"    | call_id
            fee provider as an object            | fee     | "cost_usd": 0.5, "kind": "platform", "provider": {}        | provider
            fee before 2000                      | old fee | "cost_usd": 1, "kind": "other"                             | time
            """)
    void aBadFieldIs400NamingItAndStoresNothing(String description, String valid, String fields, String field) {
        HttpResponse<String> response = server.post("/v1/events", event(valid, fields), "Authorization",
                "Bearer " + acmeKey);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = TestServer.json(response);
        assertThat(error.path("field").asText()).as(response.body()).isEqualTo(field);
        assertThat(error.path("reason").asText()).isNotBlank();
        assertThat(count(server.tally().events(), "events", "acme")).isZero();
        assertThat(count(server.tally().events(), "calls", "acme")).isZero();
    }

    @Test
    void aBodyWithContentAfterItsJsonIsRefusedNamingTheBody() {
        HttpResponse<String> response = server.post("/v1/events",
                event("fee", "\"cost_usd\": 1, \"kind\": \"other\"") + " {}", "Authorization", "Bearer " + acmeKey);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(TestServer.json(response).path("field").asText()).isEqualTo("body");
    }

    @Test
    void everyNewFieldIsStoredAsSent() {
        server.createTenant("stored", "Stored");
        String key = server.createKey("stored", "events:write");

        JsonNode result = server.ingest(key, """
                [{"id": "call-1", "type": "call", "time": "2026-03-15T10:00:00Z", "status": "completed",
                  "ended_at": "2026-03-15T10:02:00Z", "provider": "vapi", "cost_usd": 0.03,
                  "reported_total_cost_usd": 0.4567, "revision": 2},
                 {"id": "stt-1", "type": "stt", "time": "2026-03-15T10:00:00Z", "call_id": "call-1",
                  "provider": "deepgram", "model": "nova-3", "duration_seconds": 120, "cost_usd": 0.0086},
                 {"id": "tts-1", "type": "tts", "time": "2026-03-15T10:00:00Z", "call_id": "call-1",
                  "provider": "elevenlabs", "characters": 900, "cost_usd": 0.0135},
                 {"id": "sms-1", "type": "sms", "time": "2026-03-15T10:00:00Z", "direction": "outbound",
                  "body": "hello", "segments": 2, "cost_usd": 0.0158},
                 {"id": "fee-1", "type": "fee", "time": "2026-03-15T10:00:00Z", "kind": "platform", "provider": "vapi",
                  "call_id": "call-1", "cost_usd": 0.05, "quantity": 2.5, "unit": "minute"},
                 {"id": "fee-2", "type": "fee", "time": "2026-03-15T10:00:00Z", "kind": "phone_number",
                  "cost_usd": 1.15}]""");

        assertThat(result.path("accepted").asInt()).as(result.toString()).isEqualTo(6);
        assertThat(stored("calls", "call-1", "provider", "reported_total_cost_nanos", "cost_nanos", "revision"))
                .as("the platform's total is kept, and is never the call's cost")
                .containsExactly("vapi", "456700000", "30000000", "2");
        assertThat(stored("events", "stt-1", "cost_nanos", "cost_source", "revision"))
                .containsExactly("8600000", "reported", "0");
        assertThat(stored("events", "tts-1", "cost_nanos")).containsExactly("13500000");
        assertThat(stored("events", "sms-1", "carrier_segments", "segments", "cost_nanos"))
                .as("the carrier's segments beside Tally's own count").containsExactly("2", "1", "15800000");
        assertThat(stored("events", "fee-1", "type", "kind", "provider", "call_id", "cost_nanos", "cost_source",
                "quantity_micros", "unit"))
                .containsExactly("fee", "platform", "vapi", "call-1", "50000000", "reported", "2500000", "minute");
        assertThat(stored("events", "fee-2", "call_id", "quantity_micros", "unit")).containsOnlyNulls();
    }

    /** The stored columns of one event of tenant "stored", as text (null stays null). */
    private static List<String> stored(String table, String id, String... columns) {
        Row row = row(server.tally().events(), table, "stored", id);
        List<String> values = new ArrayList<>();
        for (String column : columns) {
            values.add(row.get(column) == null ? null : row.get(column).toString());
        }
        return values;
    }

    @Test
    void aFeeSentAgainIsADuplicate() {
        server.createTenant("again", "Again");
        String key = server.createKey("again", "events:write");
        String fee = """
                {"id": "fee-again", "type": "fee", "time": "2026-03-15T10:00:00Z", "kind": "analysis", "cost_usd": 0.2}""";

        server.ingest(key, fee);
        JsonNode second = server.ingest(key, fee);

        assertThat(second.path("duplicates").asInt()).isEqualTo(1);
        assertThat(count(server.tally().events(), "events", "again")).isEqualTo(1);
    }
}
