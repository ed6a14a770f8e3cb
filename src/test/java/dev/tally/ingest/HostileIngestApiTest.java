package dev.tally.ingest;

import static dev.tally.testing.StoredEvents.count;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hardening issue's reproductions, each now a rejection that names the field and stores
 * nothing, while the good events beside it are stored exactly once however often they are sent.
 */
class HostileIngestApiTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-15T12:00:00Z"), ZoneOffset.UTC);
    private static final String GOOD = "{\"id\":\"good-%s\",\"type\":\"llm\",\"time\":\"2026-03-15T10:00:00Z\","
            + "\"model\":\"gpt-4o\",\"input_tokens\":10}";
    private static TestServer server;
    private static String key;

    @BeforeAll
    static void start() {
        server = TestServer.start(CLOCK);
        server.createTenant("acme", "Acme");
        key = server.createKey("acme", "events:write", "analytics:read");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<Arguments> hostileEvents() {
        String llm = "{\"id\":\"%s\",\"type\":\"llm\",\"time\":\"2026-03-15T10:00:00Z\",\"model\":\"gpt-4o\"";
        return Stream.of(
                Arguments.of("an unpaired surrogate in the id", "{\"id\":\"lone\\ud800\",\"type\":\"chat\","
                        + "\"time\":\"2026-03-15T10:00:00Z\"}", "id"),
                Arguments.of("a low surrogate alone", "{\"id\":\"x\\udc00y\",\"type\":\"chat\","
                        + "\"time\":\"2026-03-15T10:00:00Z\"}", "id"),
                Arguments.of("an unpaired surrogate in a call id", "{\"id\":\"call\\ud800\",\"type\":\"call\","
                        + "\"status\":\"in_progress\",\"time\":\"2026-03-15T10:00:00Z\"}", "id"),
                Arguments.of("a NUL in the agent", llm.formatted("h1") + ",\"agent_id\":\"a\\u0000b\"}", "agent_id"),
                Arguments.of("a control character in the call id", llm.formatted("h2") + ",\"call_id\":\"c\\u0007\"}",
                        "call_id"),
                Arguments.of("a NUL in an attribute value", llm.formatted("h3") + ",\"attributes\":{\"k\":\"v\\u0000\"}}",
                        "attributes.k"),
                Arguments.of("a cost of five billion dollars", llm.formatted("h4") + ",\"cost_usd\":5000000000}",
                        "cost_usd"),
                Arguments.of("1e400 tokens", llm.formatted("h5") + ",\"input_tokens\":1e400}", "input_tokens"),
                Arguments.of("-1e400 dollars", llm.formatted("h6") + ",\"cost_usd\":-1e400}", "cost_usd"),
                Arguments.of("1e400 seconds", "{\"id\":\"h7\",\"type\":\"stt\",\"time\":\"2026-03-15T10:00:00Z\","
                        + "\"duration_seconds\":1e400}", "duration_seconds"),
                Arguments.of("a year before the epoch's long range", "{\"id\":\"p-1\",\"type\":\"llm\","
                        + "\"time\":\"-292275055-05-16T16:47:04.192Z\",\"ended_at\":\"2026-03-15T11:00:00Z\","
                        + "\"model\":\"gpt-4o\"}", "time"),
                Arguments.of("the year +999999999", "{\"id\":\"h8\",\"type\":\"chat\","
                        + "\"time\":\"+999999999-01-01T00:00:00Z\"}", "time"),
                Arguments.of("the year -999999999", "{\"id\":\"h9\",\"type\":\"chat\","
                        + "\"time\":\"-999999999-01-01T00:00:00Z\"}", "time"),
                Arguments.of("the year 0001", "{\"id\":\"h10\",\"type\":\"chat\",\"time\":\"0001-01-01T00:00:00Z\"}",
                        "time"),
                Arguments.of("a day before 2000", "{\"id\":\"h11\",\"type\":\"chat\",\"time\":\"1999-12-31T23:59:59Z\"}",
                        "time"),
                Arguments.of("an ended_at in the year 0001", llm.formatted("h12") + ",\"ended_at\":\"0001-01-01T00:00:00Z\"}",
                        "ended_at"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileEvents")
    void aHostileEventIsRejectedByNameAndItsGoodNeighbourIsStoredOnce(String description, String hostile,
                                                                      String field) {
        String good = GOOD.formatted(Integer.toHexString(description.hashCode()));
        long before = stored();
        for (int attempt = 0; attempt < 3; attempt++) {
            HttpResponse<String> response = server.post("/v1/events", "[" + good + "," + hostile + "]",
                    "Authorization", "Bearer " + key);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode result = TestServer.json(response);
            assertThat(result.path("accepted").asInt()).isEqualTo(attempt == 0 ? 1 : 0);
            assertThat(result.path("duplicates").asInt()).isEqualTo(attempt == 0 ? 0 : 1);
            assertThat(result.path("rejected").asInt()).isEqualTo(1);
            JsonNode rejection = result.path("results").get(result.path("results").size() - 1);
            assertThat(rejection.path("index").asInt()).isEqualTo(1);
            assertThat(rejection.path("field").asText()).as(response.body()).isEqualTo(field);
            assertThat(rejection.path("reason").asText()).isNotBlank();
        }
        assertThat(stored()).isEqualTo(before + 1);
    }

    private static long stored() {
        return count(server.tally().events(), "events", "acme") + count(server.tally().events(), "calls", "acme");
    }

    @Test
    void contentAfterTheJsonValueIsRefused() {
        long before = stored();
        for (String body : new String[] {"[" + GOOD.formatted("t1") + "] xyz", GOOD.formatted("t2") + " {}",
                "[" + GOOD.formatted("t3") + "]]"}) {
            HttpResponse<String> response = server.post("/v1/events", body, "Authorization", "Bearer " + key);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(TestServer.json(response).path("field").asText()).isEqualTo("body");
        }
        HttpResponse<String> ndjson = server.post("/v1/events", GOOD.formatted("t4") + " trailing\n",
                "Authorization", "Bearer " + key, "Content-Type", "application/x-ndjson");
        assertThat(ndjson.statusCode()).as(ndjson.body()).isEqualTo(400);
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void aKeyTwiceInOneObjectIsRefusedNamingTheKey() {
        long before = stored();
        String body = "[{\"id\":\"d1\",\"type\":\"chat\",\"type\":\"llm\",\"time\":\"2026-03-15T10:00:00Z\"}]";
        HttpResponse<String> response = server.post("/v1/events", body, "Authorization", "Bearer " + key);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(TestServer.json(response).path("reason").asText()).contains("type");
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void jsonNestedOneHundredThousandDeepIsA400() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        String inAttributes = "{\"id\":\"n1\",\"type\":\"chat\",\"time\":\"2026-03-15T10:00:00Z\",\"attributes\":"
                + "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000) + "}";
        for (String body : new String[] {deep, inAttributes}) {
            HttpResponse<String> response = server.post("/v1/events", body, "Authorization", "Bearer " + key);
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(TestServer.json(response).path("field").asText()).isEqualTo("body");
        }
        assertThat(server.get("/api/v1/health").statusCode()).isEqualTo(200);
    }
}
