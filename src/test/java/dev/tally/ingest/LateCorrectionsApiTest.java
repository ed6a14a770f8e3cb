package dev.tally.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.store.sql.Row;
import dev.tally.testing.StoredEvents;
import dev.tally.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Late corrections through the ingest API: what each answer says, and what the store then holds. A
 * carrier's price arrives as a higher revision of the SMS; the same revision again is a duplicate, a
 * lower one stale, another type rejected naming {@code type}, and nothing of those changes the row.
 */
class LateCorrectionsApiTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-15T12:00:00Z"), ZoneOffset.UTC);
    private static TestServer server;
    private static String key;

    @BeforeAll
    static void start() {
        server = TestServer.start(CLOCK);
        server.createTenant("acme", "Acme");
        key = server.createKey("acme", "events:write");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String sms(String id, Integer revision, String more) {
        return "{\"id\": \"" + id + "\", \"type\": \"sms\", \"time\": \"2026-03-15T10:00:00Z\", \"direction\": \"outbound\","
                + " \"phone_number\": \"+15550001111\", \"body\": \"your code is 1234\""
                + (revision == null ? "" : ", \"revision\": " + revision) + (more == null ? "" : ", " + more) + "}";
    }

    private static HttpResponse<String> send(String json) {
        return server.post("/v1/events", json, "Authorization", "Bearer " + key);
    }

    private static Row stored(String id) {
        return StoredEvents.row(server.tally().events(), "events", "acme", id);
    }

    @Test
    void aCarriersPriceArrivesAsAHigherRevisionAndReplacesTheMessage() {
        JsonNode first = server.ingest(key, "[" + sms("sms-1", null, null) + "]");
        assertThat(first.path("accepted").asInt()).isEqualTo(1);
        String unpricedSource = stored("sms-1").string("cost_source");

        JsonNode corrected = server.ingest(key, "[" + sms("sms-1", 1, "\"cost_usd\": 0.0079") + "]");
        assertThat(corrected.path("accepted").asInt()).isEqualTo(1);
        assertThat(corrected.path("results")).singleElement().satisfies(item -> {
            assertThat(item.path("status").asText()).isEqualTo("updated");
            assertThat(item.path("id").asText()).isEqualTo("sms-1");
        });
        Row row = stored("sms-1");
        assertThat(row.longValue("cost_nanos")).isEqualTo(7_900_000L);
        assertThat(row.string("cost_source")).isEqualTo("reported").isNotEqualTo(unpricedSource);
        assertThat(row.longValue("revision")).isEqualTo(1);
    }

    @Test
    void theSameRevisionIsADuplicateALowerOneStaleAndNeitherChangesTheEvent() {
        server.ingest(key, "[" + sms("sms-2", 3, "\"cost_usd\": 0.01") + "]");

        JsonNode answer = server.ingest(key, "[" + sms("sms-2", 3, "\"cost_usd\": 0.5") + ", "
                + sms("sms-2", 2, "\"cost_usd\": 0.7") + "]");

        assertThat(answer.path("accepted").asInt()).isZero();
        assertThat(answer.path("duplicates").asInt()).isEqualTo(2);
        assertThat(answer.path("results").get(0).path("status").asText()).isEqualTo("duplicate");
        JsonNode stale = answer.path("results").get(1);
        assertThat(stale.path("status").asText()).isEqualTo("stale");
        assertThat(stale.path("field").asText()).isEqualTo("revision");
        assertThat(stale.path("reason").asText()).contains("higher revision");
        assertThat(stored("sms-2").longValue("cost_nanos")).isEqualTo(10_000_000L);
    }

    @Test
    void aCorrectionOfAnotherTypeIsRejectedNamingType() {
        server.ingest(key, "[" + sms("sms-3", null, null) + "]");
        String llm = "{\"id\": \"sms-3\", \"type\": \"llm\", \"time\": \"2026-03-15T10:00:00Z\", \"model\": \"gpt-4o\","
                + " \"revision\": 4}";

        HttpResponse<String> alone = send("[" + llm + "]");
        assertThat(alone.statusCode()).as(alone.body()).isEqualTo(400);
        JsonNode error = TestServer.json(alone);
        assertThat(error.path("field").asText()).isEqualTo("type");
        assertThat(error.path("reason").asText()).contains("type");

        HttpResponse<String> beside = send("[" + sms("sms-4", null, null) + ", " + llm + "]");
        assertThat(beside.statusCode()).as(beside.body()).isEqualTo(200);
        JsonNode result = TestServer.json(beside);
        assertThat(result.path("accepted").asInt()).isEqualTo(1);
        assertThat(result.path("rejected").asInt()).isEqualTo(1);
        assertThat(result.path("results")).singleElement().satisfies(item -> {
            assertThat(item.path("index").asInt()).isEqualTo(1);
            assertThat(item.path("status").asText()).isEqualTo("rejected");
            assertThat(item.path("field").asText()).isEqualTo("type");
        });
        assertThat(stored("sms-3").string("type")).isEqualTo("sms");
        assertThat(stored("sms-3").longValue("revision")).isZero();
    }

    @Test
    void severalRevisionsInOneBatchLeaveTheHighestInAnyOrder() {
        JsonNode answer = server.ingest(key, "[" + sms("sms-5", 2, "\"cost_usd\": 0.02") + ", "
                + sms("sms-5", 5, "\"cost_usd\": 0.05") + ", " + sms("sms-5", 1, "\"cost_usd\": 0.01") + "]");

        assertThat(answer.path("accepted").asInt()).isEqualTo(2);
        assertThat(answer.path("results")).extracting(item -> item.path("status").asText())
                .containsExactly("updated", "stale");
        assertThat(stored("sms-5").longValue("cost_nanos")).isEqualTo(50_000_000L);
    }
}
