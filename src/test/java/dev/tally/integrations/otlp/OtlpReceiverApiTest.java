package dev.tally.integrations.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.tally.testing.TestServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OTLP/HTTP trace exports against a real server (the pom runs it on DuckDB, on DuckDB read without
 * rollups and on the ClickHouse cluster). {@code traces.json} is one voice-agent turn as OTLP's JSON
 * encoding writes it (hex ids, int64 as strings, camelCase), trace {@code 5b8e…c60c}, 2026-03-14 (UTC):
 *
 * <pre>
 * span  parent  time         what                                     model          in    cached new  out
 * eee1  —       10:00:00     POST /turn (no GenAI attribute: ignored)
 * b1c4  eee1    10:00:00     chat, current spellings                   otlp-model-a   1200  200    100  300
 * c2d3  eee1    10:00:02     older spellings (gen_ai.system, …)        otlp-model-b   500   100    —    50
 * d4e5  eee1    10:00:04     a database query (ignored)
 * e5f6  b1c4    10:00:05     chat that failed: status ERROR            otlp-model-a   80    —      —    0
 * </pre>
 *
 * Prices per million tokens (provider otlpprov): otlp-model-a $1 in / $2 out, otlp-model-b $3 / $4,
 * no cached rate (cached and cache-creation tokens priced as input, as the price book does). So b1c4
 * costs (1200 + 100) × 1 + 300 × 2 = 1,900 µUSD, c2d3 500 × 3 + 50 × 4 = 1,700, e5f6 80 × 1 = 80:
 * the call {@code call-otlp-1} (their {@code gen_ai.conversation.id}) has 0.00368 USD of LLM cost.
 */
class OtlpReceiverApiTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-15T12:00:00Z"), ZoneOffset.UTC);
    private static final String TRACE = "5b8efff798038103d269b633813fc60c";
    private static final String CALL = "call-otlp-1";

    private static TestServer server;
    private static OtlpClient otlp;
    private static String acmeReader;
    private static String acmeWriter;
    private static String globexWriter;
    private static String globexReader;

    @BeforeAll
    static void start() {
        server = TestServer.start(CLOCK);
        otlp = new OtlpClient(server);
        server.createTenant("acme", "Acme");
        server.createTenant("globex", "Globex");
        price("otlp-model-a", 1, 2);
        price("otlp-model-b", 3, 4);
        acmeReader = server.createKey("acme", "analytics:read");
        acmeWriter = server.createKey("acme", "events:write");
        globexWriter = server.createKey("globex", "events:write");
        globexReader = server.createKey("globex", "analytics:read");
        server.ingest(acmeWriter, "{\"id\": \"" + CALL + "\", \"type\": \"call\", \"time\": \"2026-03-14T09:59:59Z\","
                + " \"status\": \"completed\", \"ended_at\": \"2026-03-14T10:00:30Z\", \"cost_usd\": 0.05,"
                + " \"agent_id\": \"voice-bot\"}");
        HttpResponse<byte[]> export = otlp.postJson(fixture("traces.json"), acmeWriter);
        assertThat(export.statusCode()).as(OtlpClient.text(export)).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void price(String model, int inputPerMillion, int outputPerMillion) {
        String body = "{\"provider\": \"otlpprov\", \"model\": \"" + model + "\", \"effective_from\": \"2024-01-01\","
                + " \"input_per_million\": " + inputPerMillion + ", \"output_per_million\": " + outputPerMillion
                + ", \"credit_multiplier\": 1}";
        HttpResponse<String> response = server.post("/admin/prices", body, "X-Admin-Token", TestServer.ADMIN_TOKEN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    static String fixture(String name) {
        try (InputStream input = OtlpReceiverApiTest.class.getResourceAsStream(name)) {
            return new String(input.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    private static JsonNode callCost() {
        HttpResponse<String> response = server.getWithKey("/v1/analytics/calls/" + CALL + "/cost", acmeReader);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestServer.json(response);
    }

    private static void assertMoney(JsonNode node, String expected) {
        assertThat(node.isNumber()).as(node.toString()).isTrue();
        assertThat(node.decimalValue()).as(node.toString()).isEqualByComparingTo(new BigDecimal(expected));
    }

    @Test
    void everyGenAiSpanIsOneLlmEventWithBothSpellingsReadAndOtherSpansIgnored() {
        JsonNode stats = otlp.stats(acmeReader, "acme", "\"trace_ids\": [\"" + TRACE + "\"]");

        JsonNode calls = stats.path("call_buckets").get(0);
        assertThat(calls.path("sum_call_count").asLong()).as("three GenAI spans of five").isEqualTo(3);
        assertThat(calls.path("sum_error_count").asLong()).as("the span with status ERROR").isEqualTo(1);
        JsonNode modelA = OtlpClient.usageOf(stats, "otlp-model-a");
        assertThat(modelA.path("sum_input_tokens").asLong()).isEqualTo(1280);
        assertThat(modelA.path("sum_output_tokens").asLong()).isEqualTo(300);
        assertThat(modelA.path("sum_cache_read_input_tokens").asLong()).isEqualTo(200);
        assertThat(modelA.path("sum_cache_creation_input_tokens").asLong()).isEqualTo(100);
        assertMoney(modelA.path("sum_total_cost"), "0.00198");
        JsonNode modelB = OtlpClient.usageOf(stats, "otlp-model-b");
        assertThat(modelB.path("sum_input_tokens").asLong()).isEqualTo(500);
        assertThat(modelB.path("sum_output_tokens").asLong()).isEqualTo(50);
        assertThat(modelB.path("sum_cache_read_input_tokens").asLong()).as("gen_ai.usage.input_cached_tokens")
                .isEqualTo(100);
        assertMoney(modelB.path("sum_total_cost"), "0.0017");
        assertThat(stats.path("usage_buckets")).extracting(bucket -> bucket.path("model").asText())
                .as("the response model wins over the request model").doesNotContain("otlp-model");
    }

    @Test
    void parentSpansLinkTheEventsOfATrace() {
        JsonNode childOfChat = otlp.stats(acmeReader, "acme", "\"parent_ids\": [\"" + TRACE + ":b1c4a9e0f2d3c5a7\"]");
        assertThat(childOfChat.path("call_buckets").get(0).path("sum_call_count").asLong()).isEqualTo(1);
        assertThat(childOfChat.path("call_buckets").get(0).path("sum_error_count").asLong()).isEqualTo(1);
        JsonNode childrenOfTurn = otlp.stats(acmeReader, "acme", "\"parent_ids\": [\"" + TRACE + ":eee19b7ec3c1b174\"]");
        assertThat(childrenOfTurn.path("call_buckets").get(0).path("sum_call_count").asLong()).isEqualTo(2);
        JsonNode chats = otlp.stats(acmeReader, "acme", "\"op_names\": [\"chat\"], \"trace_ids\": [\"" + TRACE + "\"]");
        assertThat(chats.path("call_buckets").get(0).path("sum_call_count").asLong())
                .as("gen_ai.operation.name; the older span names none").isEqualTo(2);
    }

    @Test
    void theConversationsSpansAreTheLlmCostOfItsCall() {
        JsonNode cost = callCost();

        assertMoney(cost.path("components").path("llm"), "0.00368");
        assertMoney(cost.path("components").path("telephony"), "0.05");
        assertMoney(cost.path("total_cost_usd"), "0.05368");
        assertThat(cost.path("events")).extracting(event -> event.path("id").asText()).containsExactlyInAnyOrder(
                TRACE + ":b1c4a9e0f2d3c5a7", TRACE + ":c2d3e4f5a6b7c8d9", TRACE + ":e5f6a7b8c9d0e1f2");
        assertThat(cost.path("events")).extracting(event -> event.path("provider").asText()).containsOnly("otlpprov");
        assertThat(cost.path("events")).extracting(event -> event.path("time").asText())
                .contains("2026-03-14T10:00:00Z", "2026-03-14T10:00:02Z", "2026-03-14T10:00:05Z");
    }

    @Test
    void aChatApplicationsConversationIsItsChatAndItsCreditsTheChatOwnersMember() {
        server.ingest(globexWriter, "{\"id\": \"chat-otlp-1\", \"type\": \"chat\", \"time\": \"2026-03-14T09:00:00Z\","
                + " \"member_id\": \"m7\"}");
        long start = 1_773_482_500_000_000_000L;
        HttpResponse<byte[]> response = otlp.post(export(span("7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d", "0a0b0c0d0e0f1a1b", start,
                        start + 1_000_000_000L).addAttributes(attribute("gen_ai.provider.name", "otlpprov"))
                        .addAttributes(attribute("gen_ai.request.model", "otlp-model-a"))
                        .addAttributes(attribute("gen_ai.conversation.id", "chat-otlp-1"))
                        .addAttributes(attribute("gen_ai.usage.input_tokens", 500_000))
                        .addAttributes(attribute("gen_ai.usage.output_tokens", 250_000)).build()),
                "application/x-protobuf", globexWriter);
        assertThat(response.statusCode()).as(OtlpClient.text(response)).isEqualTo(200);
        server.settleWrites();

        String members = server.createKey("globex", "analytics:read");
        HttpResponse<String> owner = server.getWithKey("/api/v2/w/globex/reports/member-usage/m7"
                + "?start_date=2026-03-01&end_date=2026-03-31", members);
        assertThat(owner.statusCode()).as(owner.body()).isEqualTo(200);
        // 750,000 tokens at a credit multiplier of 1: a credit a thousand tokens
        assertThat(TestServer.json(owner).path("totalCredits").decimalValue()).as(owner.body())
                .isEqualByComparingTo("750");
        HttpResponse<String> other = server.getWithKey("/api/v2/w/globex/reports/member-usage/m8"
                + "?start_date=2026-03-01&end_date=2026-03-31", members);
        assertThat(TestServer.json(other).path("totalCredits").asText()).isEqualTo("0");
    }

    @Test
    void aReExportIsADuplicateAndCountsNothingTwice() {
        JsonNode before = otlp.stats(acmeReader, "acme", "\"trace_ids\": [\"" + TRACE + "\"]");

        HttpResponse<byte[]> again = otlp.postJson(fixture("traces.json"), acmeWriter);

        assertThat(again.statusCode()).as(OtlpClient.text(again)).isEqualTo(200);
        assertThat(again.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(OtlpClient.json(again).has("partialSuccess")).as(OtlpClient.text(again)).isFalse();
        assertThat(otlp.stats(acmeReader, "acme", "\"trace_ids\": [\"" + TRACE + "\"]")).isEqualTo(before);
        assertMoney(callCost().path("components").path("llm"), "0.00368");
    }

    @Test
    void badGenAiSpansAreNamedInThePartialSuccessAndTheGoodOnesStored() {
        HttpResponse<byte[]> response = otlp.postJson(fixture("traces-with-bad-spans.json"), acmeWriter);

        assertThat(response.statusCode()).as(OtlpClient.text(response)).isEqualTo(200);
        JsonNode partial = OtlpClient.json(response).path("partialSuccess");
        assertThat(partial.path("rejectedSpans").asText()).as("int64 is a string in OTLP's JSON").isEqualTo("4");
        String message = partial.path("errorMessage").asText();
        String spans = "resourceSpans[0].scopeSpans[0].spans";
        assertThat(message).contains(spans + "[0].attributes.gen_ai.usage.input_tokens must be a whole number",
                spans + "[2].attributes.gen_ai.usage.cache_read.input_tokens",
                spans + "[3].attributes.gen_ai.usage.input_tokens must not be negative",
                spans + "[4].endTimeUnixNano");
        assertThat(message).doesNotContain(spans + "[1]");
        JsonNode stats = otlp.stats(acmeReader, "acme", "\"trace_ids\": [\"0af7651916cd43dd8448eb211c80319c\"]");
        assertThat(stats.path("call_buckets").get(0).path("sum_call_count").asLong()).isEqualTo(1);
        assertThat(OtlpClient.usageOf(stats, "otlp-model-a").path("sum_input_tokens").asLong()).isEqualTo(700);
    }

    static Span.Builder span(String traceId, String spanId, long startNanos, long endNanos) {
        return Span.newBuilder().setTraceId(ByteString.fromHex(traceId)).setSpanId(ByteString.fromHex(spanId))
                .setName("chat").setStartTimeUnixNano(startNanos).setEndTimeUnixNano(endNanos);
    }

    static KeyValue attribute(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    static KeyValue attribute(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }

    static byte[] export(Span... spans) {
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(java.util.List.of(spans)))).build().toByteArray();
    }

    @Test
    void theProtobufEncodingIsAnsweredInProtobufWithItsPartialSuccess() throws Exception {
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        long start = 1_773_482_410_000_000_000L;
        byte[] body = export(
                span(trace, "00f067aa0ba902b7", start, start + 250_000_000L).addAttributes(attribute("gen_ai.system", "otlpprov"))
                        .addAttributes(attribute("gen_ai.request.model", "otlp-model-b"))
                        .addAttributes(attribute("gen_ai.usage.input_tokens", 1000))
                        .addAttributes(attribute("gen_ai.usage.output_tokens", 10)).build(),
                span(trace, "a1a2a3a4a5a6a7a8", start, start).addAttributes(attribute("gen_ai.request.model", "otlp-model-b"))
                        .addAttributes(attribute("gen_ai.usage.output_tokens", 1_000_000_000_001L)).build(),
                span(trace, "b1b2b3b4b5b6b7b8", start, start).addAttributes(attribute("http.route", "/chat")).build(),
                span(trace, "c1c2c3c4c5c6c7c8", start, start + 1).addAttributes(attribute("gen_ai.request.model", "otlp-model-b"))
                        .addAttributes(attribute("gen_ai.usage.input_tokens", 5))
                        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR)).build());

        HttpResponse<byte[]> response = otlp.post(body, "application/x-protobuf", acmeWriter);

        assertThat(response.statusCode()).as(OtlpClient.text(response)).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/x-protobuf");
        ExportTraceServiceResponse answer = ExportTraceServiceResponse.parseFrom(response.body());
        assertThat(answer.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
        assertThat(answer.getPartialSuccess().getErrorMessage())
                .contains("resourceSpans[0].scopeSpans[0].spans[1].attributes.gen_ai.usage.output_tokens");
        JsonNode stats = otlp.stats(acmeReader, "acme", "\"trace_ids\": [\"" + trace + "\"]");
        assertThat(stats.path("call_buckets").get(0).path("sum_call_count").asLong()).isEqualTo(2);
        assertThat(stats.path("call_buckets").get(0).path("sum_error_count").asLong()).isEqualTo(1);
        assertThat(OtlpClient.usageOf(stats, "otlp-model-b").path("sum_input_tokens").asLong()).isEqualTo(1005);
        assertMoney(OtlpClient.usageOf(stats, "otlp-model-b").path("sum_total_cost"), "0.003055");

        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
            gzip.write(body);
        }
        HttpResponse<byte[]> compressed = otlp.post(zipped.toByteArray(), "application/x-protobuf", acmeWriter,
                "Content-Encoding", "gzip");
        assertThat(compressed.statusCode()).as(OtlpClient.text(compressed)).isEqualTo(200);
        assertThat(ExportTraceServiceResponse.parseFrom(compressed.body()).getPartialSuccess().getRejectedSpans())
                .isEqualTo(1);
        assertThat(otlp.stats(acmeReader, "acme", "\"trace_ids\": [\"" + trace + "\"]")).as("a duplicate").isEqualTo(stats);
    }

    @Test
    void theTenantIsTheKeysAndOnlyAnEventsWriteKeyOfATenantIsLetIn() {
        String trace = "11112222333344445555666677778888";
        byte[] body = export(span(trace, "1111222233334444", 1_773_482_420_000_000_000L, 1_773_482_421_000_000_000L)
                .addAttributes(attribute("gen_ai.request.model", "otlp-model-a"))
                .addAttributes(attribute("gen_ai.usage.input_tokens", 42)).build());
        String platformWriter = server.createKey(null, "events:write");

        assertThat(otlp.post(body, "application/x-protobuf", null).statusCode()).isEqualTo(401);
        assertThat(otlp.post(body, "application/x-protobuf", "tly_unknown").statusCode()).isEqualTo(401);
        assertThat(otlp.post(body, "application/x-protobuf", acmeReader).statusCode()).isEqualTo(403);
        HttpResponse<byte[]> platform = otlp.post(body, "application/x-protobuf", platformWriter);
        assertThat(platform.statusCode()).as(OtlpClient.text(platform)).isEqualTo(403);
        assertThat(OtlpClient.json(platform).path("reason").asText()).contains("tenant");
        assertThat(otlp.stats(acmeReader, "acme", "\"trace_ids\": [\"" + trace + "\"]").path("call_buckets").get(0)
                .path("sum_call_count").asLong()).as("nothing stored from a refused export").isZero();

        assertThat(otlp.post(body, "application/x-protobuf", globexWriter).statusCode()).isEqualTo(200);
        assertThat(otlp.stats(globexReader, "globex", "\"trace_ids\": [\"" + trace + "\"]").path("call_buckets").get(0)
                .path("sum_call_count").asLong()).isEqualTo(1);
        assertThat(otlp.stats(acmeReader, "acme", "\"trace_ids\": [\"" + trace + "\"]").path("call_buckets").get(0)
                .path("sum_call_count").asLong()).as("globex's key writes to globex only").isZero();
    }

    @Test
    void aBodyThatIsNoTraceExportIsA4xxNamingTheProblem() {
        assertRefused(otlp.postJson("{\"resourceSpans\": ", acmeWriter), 400, "body");
        assertRefused(otlp.postJson("[1, 2]", acmeWriter), 400, "body");
        assertRefused(otlp.postJson("{\"resourceSpans\": \"many\"}", acmeWriter), 400, "body");
        assertRefused(otlp.postJson(fixture("traces.json").replace("\"spanId\": \"c2d3e4f5a6b7c8d9\"",
                "\"spanId\": \"not-hex!\""), acmeWriter), 400, "resourceSpans[0].scopeSpans[0].spans[2].spanId");
        assertRefused(otlp.postJson(fixture("traces.json").replace("\"1773482402000000000\"", "\"soon\""), acmeWriter),
                400, "body");
        assertRefused(otlp.post(new byte[] {0x0a, (byte) 0xff, 0x01, 0x02}, "application/x-protobuf", acmeWriter), 400, "body");
        assertRefused(otlp.post(new byte[] {1, 2, 3}, "application/x-protobuf", acmeWriter, "Content-Encoding", "gzip"),
                400, "body");
        assertRefused(otlp.post(new byte[] {1}, "application/x-protobuf", acmeWriter, "Content-Encoding", "br"),
                415, "Content-Encoding");
        assertRefused(otlp.post("{}".getBytes(StandardCharsets.UTF_8), "text/plain", acmeWriter), 415, "Content-Type");
        assertRefused(otlp.post("{}".getBytes(StandardCharsets.UTF_8), null, acmeWriter), 415, "Content-Type");
        // a span with a wrong id length is the span's problem, not the export's
        HttpResponse<byte[]> shortId = otlp.post(export(Span.newBuilder().setTraceId(ByteString.copyFrom(new byte[3]))
                .setSpanId(ByteString.fromHex("0102030405060708")).setStartTimeUnixNano(1_773_482_400_000_000_000L)
                .addAttributes(attribute("gen_ai.request.model", "otlp-model-a")).build()),
                "application/x-protobuf", acmeWriter);
        assertThat(shortId.statusCode()).isEqualTo(200);
        assertThat(uncheckedParse(shortId).getPartialSuccess().getErrorMessage()).contains("spans[0].traceId");
        // an empty export is a valid one
        HttpResponse<byte[]> empty = otlp.postJson("{}", acmeWriter);
        assertThat(empty.statusCode()).as(OtlpClient.text(empty)).isEqualTo(200);
        assertThat(OtlpClient.text(empty)).isEqualTo("{}");
    }

    private static ExportTraceServiceResponse uncheckedParse(HttpResponse<byte[]> response) {
        try {
            return ExportTraceServiceResponse.parseFrom(response.body());
        } catch (IOException notProtobuf) {
            throw new AssertionError(OtlpClient.text(response), notProtobuf);
        }
    }

    private static void assertRefused(HttpResponse<byte[]> response, int status, String field) {
        assertThat(response.statusCode()).as(OtlpClient.text(response)).isEqualTo(status);
        JsonNode error = OtlpClient.json(response);
        assertThat(error.path("field").asText()).as(OtlpClient.text(response)).isEqualTo(field);
        assertThat(error.path("reason").asText()).as(OtlpClient.text(response)).isNotBlank();
    }
}
