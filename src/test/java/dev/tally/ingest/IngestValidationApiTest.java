package dev.tally.ingest;

import static dev.tally.testing.StoredEvents.count;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.app.ServerConfig;
import dev.tally.testing.StoredEvents;
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

/** Every kind of bad input is a 4xx naming the field, stores nothing, and is never a 500. */
class IngestValidationApiTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-15T12:00:00Z"), ZoneOffset.UTC);
    private static TestServer server;
    private static String acmeKey;
    private static String platformKey;

    @BeforeAll
    static void start() {
        server = TestServer.start(CLOCK);
        server.createTenant("acme", "Acme");
        server.createTenant("globex", "Globex");
        acmeKey = server.createKey("acme", "events:write");
        platformKey = server.createKey(null, "events:write");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<Arguments> invalidEvents() {
        return Stream.of(
                Arguments.of("input_tokens as a string", """
                        {"id": "v1", "type": "llm", "time": "2026-03-15T10:00:00Z", "model": "gpt-4o",
                         "input_tokens": "12"}""", "input_tokens"),
                Arguments.of("unknown type", """
                        {"id": "v2", "type": "video", "time": "2026-03-15T10:00:00Z"}""", "type"),
                Arguments.of("missing type", """
                        {"id": "v3", "time": "2026-03-15T10:00:00Z"}""", "type"),
                Arguments.of("negative count", """
                        {"id": "v4", "type": "llm", "time": "2026-03-15T10:00:00Z", "model": "gpt-4o",
                         "output_tokens": -1}""", "output_tokens"),
                Arguments.of("fractional count", """
                        {"id": "v5", "type": "llm", "time": "2026-03-15T10:00:00Z", "model": "gpt-4o",
                         "output_tokens": 1.5}""", "output_tokens"),
                Arguments.of("ended_at before time", """
                        {"id": "v6", "type": "llm", "time": "2026-03-15T10:00:00Z", "model": "gpt-4o",
                         "ended_at": "2026-03-15T09:59:59Z"}""", "ended_at"),
                Arguments.of("time more than a day ahead", """
                        {"id": "v7", "type": "chat", "time": "2026-03-16T12:00:00.001Z"}""", "time"),
                Arguments.of("time without an offset", """
                        {"id": "v8", "type": "chat", "time": "2026-03-15T10:00:00"}""", "time"),
                Arguments.of("missing time", """
                        {"id": "v9", "type": "chat"}""", "time"),
                Arguments.of("missing id", """
                        {"type": "chat", "time": "2026-03-15T10:00:00Z"}""", "id"),
                Arguments.of("empty id", """
                        {"id": "", "type": "chat", "time": "2026-03-15T10:00:00Z"}""", "id"),
                Arguments.of("id over 128 characters", """
                        {"id": "%s", "type": "chat", "time": "2026-03-15T10:00:00Z"}""".formatted("i".repeat(129)),
                        "id"),
                Arguments.of("id as a number", """
                        {"id": 17, "type": "chat", "time": "2026-03-15T10:00:00Z"}""", "id"),
                Arguments.of("another tenant's tenant_id", """
                        {"id": "v10", "type": "chat", "time": "2026-03-15T10:00:00Z", "tenant_id": "globex"}""",
                        "tenant_id"),
                Arguments.of("bad phone number", """
                        {"id": "v11", "type": "sms", "time": "2026-03-15T10:00:00Z", "direction": "outbound",
                         "phone_number": "415-555-0100", "body": "hi"}""", "phone_number"),
                Arguments.of("sms without body or characters", """
                        {"id": "v12", "type": "sms", "time": "2026-03-15T10:00:00Z", "direction": "outbound"}""",
                        "body"),
                Arguments.of("sms characters without encoding", """
                        {"id": "v13", "type": "sms", "time": "2026-03-15T10:00:00Z", "direction": "outbound",
                         "characters": 20}""", "encoding"),
                Arguments.of("cached tokens above input tokens", """
                        {"id": "v14", "type": "llm", "time": "2026-03-15T10:00:00Z", "model": "gpt-4o",
                         "input_tokens": 10, "cached_input_tokens": 11}""", "cached_input_tokens"),
                Arguments.of("llm without model", """
                        {"id": "v15", "type": "llm", "time": "2026-03-15T10:00:00Z"}""", "model"),
                Arguments.of("completed call without ended_at", """
                        {"id": "v16", "type": "call", "time": "2026-03-15T10:00:00Z", "status": "completed"}""",
                        "ended_at"),
                Arguments.of("unknown call status", """
                        {"id": "v17", "type": "call", "time": "2026-03-15T10:00:00Z", "status": "ringing"}""",
                        "status"),
                Arguments.of("negative cost", """
                        {"id": "v18", "type": "llm", "time": "2026-03-15T10:00:00Z", "model": "gpt-4o",
                         "cost_usd": -0.01}""", "cost_usd"),
                Arguments.of("attribute that is not a string", """
                        {"id": "v19", "type": "chat", "time": "2026-03-15T10:00:00Z", "attributes": {"n": 1}}""",
                        "attributes.n"),
                Arguments.of("event that is not an object", "[42]", "event"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidEvents")
    void invalidEventIs400NamingTheField(String description, String event, String field) {
        HttpResponse<String> response = post(acmeKey, event);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = TestServer.json(response);
        assertThat(error.path("field").asText()).as(response.body()).isEqualTo(field);
        assertThat(error.path("reason").asText()).isNotBlank();
        assertThat(count(server.tally().events(), "events", "acme")).isZero();
        assertThat(count(server.tally().events(), "events", "globex")).isZero();
        assertThat(count(server.tally().events(), "calls", "acme")).isZero();
    }

    @Test
    void malformedJsonIs400NamingTheBody() {
        for (String body : new String[] {"[{\"id\": \"x\",", "", "\"just a string\"", "null"}) {
            HttpResponse<String> response = post(acmeKey, body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(TestServer.json(response).path("field").asText()).as(body).isEqualTo("body");
        }
    }

    @Test
    void platformKeyWithUnknownTenantIs400() {
        HttpResponse<String> response = post(platformKey, """
                {"id": "p1", "type": "chat", "time": "2026-03-15T10:00:00Z", "tenant_id": "nobody"}""");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(TestServer.json(response).path("field").asText()).isEqualTo("tenant_id");
    }

    @Test
    void platformKeyWithoutTenantIdIs400() {
        HttpResponse<String> response = post(platformKey, """
                {"id": "p2", "type": "chat", "time": "2026-03-15T10:00:00Z"}""");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(TestServer.json(response).path("field").asText()).isEqualTo("tenant_id");
    }

    @Test
    void limitsThemselvesAreAccepted() {
        String body = """
                [{"id": "%s", "type": "chat", "time": "2026-03-16T12:00:00Z"},
                 {"id": "edge-2", "type": "llm", "time": "2026-03-15T10:00:00Z", "model": "gpt-4o",
                  "input_tokens": 10, "cached_input_tokens": 10, "ended_at": "2026-03-15T10:00:00Z"}]"""
                .formatted("i".repeat(128));

        server.createTenant("edges", "Edges");
        JsonNode result = server.ingest(server.createKey("edges", "events:write"), body);

        assertThat(result.path("accepted").asInt()).isEqualTo(2);
        assertThat(count(server.tally().events(), "events", "edges")).isEqualTo(2);
    }

    @Test
    void bodyOverTheLimitIs413NamingTheBody() {
        try (TestServer small = TestServer.start(ServerConfig.forTests(TestServer.ADMIN_TOKEN)
                .withMaxBodyBytes(2048), CLOCK)) {
            small.createTenant("acme", "Acme");
            String key = small.createKey("acme", "events:write");

            HttpResponse<String> response = small.post("/v1/events", StoredEvents.chatBatch("big-", 40),
                    "Authorization", "Bearer " + key);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
            assertThat(TestServer.json(response).path("field").asText()).isEqualTo("body");
            assertThat(count(small.tally().events(), "events", "acme")).isZero();
            assertThat(small.post("/v1/events", StoredEvents.chatBatch("small-", 5), "Authorization", "Bearer " + key)
                    .statusCode()).isEqualTo(200);
        }
    }

    private static HttpResponse<String> post(String key, String body) {
        return server.post("/v1/events", body, "Authorization", "Bearer " + key);
    }
}
