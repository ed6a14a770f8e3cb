package dev.tally.integrations.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.testing.TestServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OpenTelemetry's own Java SDK exporting GenAI spans to a running Tally: its OTLP/HTTP exporter
 * (protobuf, gzip) for one turn, and the SDK's own JSON encoding of OTLP (the exporter has no public
 * JSON switch, so its marshaler writes the body and plain HTTP posts it) for another. Both turns
 * belong to the conversation {@code sdk-call-1} of agent {@code sdk-bot}, 2026-03-14 (UTC):
 *
 * <pre>
 * turn  encoding  span      model         in    cached  out  status
 * 1     protobuf  agent     (no GenAI attribute)
 * 1     protobuf  chat      sdk-model     1000  400     100
 * 2     JSON      agent     (no GenAI attribute)
 * 2     JSON      chat      sdk-model     2000  0       250
 * 2     JSON      chat      sdk-model     30    0       0    ERROR
 * </pre>
 *
 * sdk-model costs $2 / $8 per million input / output tokens: 2,000 + 800 + 4,000 + 2,000 + 60 µUSD.
 */
class OtlpSdkExportApiTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-15T12:00:00Z"), ZoneOffset.UTC);
    private static final Instant TURN_ONE = Instant.parse("2026-03-14T10:00:00Z");
    private static final Instant TURN_TWO = Instant.parse("2026-03-14T10:00:20Z");

    private static TestServer server;
    private static OtlpClient otlp;
    private static String acmeReader;
    private static String acmeWriter;
    private static String superAdmin;

    @BeforeAll
    static void start() {
        server = TestServer.start(CLOCK);
        otlp = new OtlpClient(server);
        server.createTenant("acme", "Acme");
        HttpResponse<String> price = server.post("/admin/prices", "{\"provider\": \"otlpprov\", \"model\": \"sdk-model\","
                + " \"effective_from\": \"2024-01-01\", \"input_per_million\": 2, \"output_per_million\": 8,"
                + " \"credit_multiplier\": 1}", "X-Admin-Token", TestServer.ADMIN_TOKEN);
        assertThat(price.statusCode()).as(price.body()).isEqualTo(201);
        acmeReader = server.createKey("acme", "analytics:read");
        acmeWriter = server.createKey("acme", "events:write");
        superAdmin = server.createKey(null, "super-admin");
        server.ingest(acmeWriter, "{\"id\": \"sdk-call-1\", \"type\": \"call\", \"time\": \"2026-03-14T09:59:59Z\","
                + " \"status\": \"completed\", \"ended_at\": \"2026-03-14T10:01:00Z\", \"agent_id\": \"sdk-bot\"}");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A hand-written exporter that keeps what the SDK's span processor hands it. */
    private static final class Collected implements SpanExporter {
        final List<SpanData> spans = new ArrayList<>();

        @Override
        public synchronized CompletableResultCode export(Collection<SpanData> batch) {
            spans.addAll(batch);
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }

    /** Spans the way an instrumented voice agent's SDK makes them, ended at explicit times. */
    private static List<SpanData> record(java.util.function.Consumer<Tracer> turn) {
        Collected collected = new Collected();
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "sdk-agent")))
                .addSpanProcessor(SimpleSpanProcessor.create(collected)).build();
        try {
            turn.accept(provider.get("dev.tally.test"));
        } finally {
            provider.shutdown().join(10, TimeUnit.SECONDS);
        }
        return collected.spans;
    }

    private static void chat(Tracer tracer, Span parent, Instant start, long input, long cached, long output,
                             String error) {
        Span span = tracer.spanBuilder("chat sdk-model").setParent(parent == null ? Context.root()
                        : Context.root().with(parent)).setStartTimestamp(start)
                .setAttribute("gen_ai.operation.name", "chat")
                .setAttribute("gen_ai.provider.name", "otlpprov")
                .setAttribute("gen_ai.request.model", "sdk-model")
                .setAttribute("gen_ai.conversation.id", "sdk-call-1")
                .setAttribute("gen_ai.agent.id", "sdk-bot")
                .setAttribute("gen_ai.usage.input_tokens", input)
                .setAttribute("gen_ai.usage.output_tokens", output)
                .startSpan();
        if (cached > 0) {
            span.setAttribute("gen_ai.usage.cache_read.input_tokens", cached);
        }
        if (error != null) {
            span.setStatus(StatusCode.ERROR, error);
        }
        span.end(start.plusMillis(700));
    }

    private static JsonNode assistant(String id) {
        HttpResponse<String> response = server.getWithKey("/admin/analytics/tokens/by-assistant"
                + "?start_date=2026-03-14&end_date=2026-03-15", superAdmin);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        for (JsonNode assistant : TestServer.json(response).path("data").path("assistants")) {
            if (assistant.path("assistant_id").asText().equals(id)) {
                return assistant;
            }
        }
        throw new AssertionError("no assistant " + id + " in " + response.body());
    }

    private static JsonNode callCost() {
        HttpResponse<String> response = server.getWithKey("/v1/analytics/calls/sdk-call-1/cost", acmeReader);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestServer.json(response);
    }

    private static byte[] json(List<SpanData> spans) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        TraceRequestMarshaler.create(spans).writeJsonTo(body);
        return body.toByteArray();
    }

    @Test
    void theSdksExportsInBothEncodingsAreTheAgentsTokensAndTheCallsLlmCost() throws Exception {
        List<SpanData> turnOne = record(tracer -> {
            Span agent = tracer.spanBuilder("agent turn").setNoParent().setStartTimestamp(TURN_ONE).startSpan();
            chat(tracer, agent, TURN_ONE.plusMillis(100), 1000, 400, 100, null);
            agent.end(TURN_ONE.plusSeconds(1));
        });
        List<SpanData> turnTwo = record(tracer -> {
            Span agent = tracer.spanBuilder("agent turn").setNoParent().setStartTimestamp(TURN_TWO).startSpan();
            chat(tracer, agent, TURN_TWO, 2000, 0, 250, null);
            chat(tracer, agent, TURN_TWO.plusSeconds(1), 30, 0, 0, "upstream timeout");
            agent.end(TURN_TWO.plusSeconds(2));
        });
        assertThat(turnOne).hasSize(2);
        assertThat(turnTwo).hasSize(3);

        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder().setEndpoint(server.url(OtlpRoutes.PATH))
                .addHeader("Authorization", "Bearer " + acmeWriter).setCompression("gzip").build();
        try {
            assertThat(exporter.export(turnOne).join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
        } finally {
            exporter.shutdown().join(10, TimeUnit.SECONDS);
        }
        HttpResponse<byte[]> jsonExport = otlp.post(json(turnTwo), "application/json", acmeWriter);
        assertThat(jsonExport.statusCode()).as(OtlpClient.text(jsonExport)).isEqualTo(200);
        server.settleWrites();

        JsonNode bot = assistant("sdk-bot");
        assertThat(bot.path("total_llm_tokens").asLong()).isEqualTo(1100 + 2250 + 30);
        assertThat(bot.path("total_llm_output_text_tokens").asLong()).isEqualTo(350);
        JsonNode cost = callCost();
        assertThat(cost.path("components").path("llm").decimalValue()).isEqualByComparingTo(new BigDecimal("0.00886"));
        assertThat(cost.path("events")).hasSize(3);
        JsonNode stats = otlp.stats(acmeReader, "acme", "\"trace_ids\": [\""
                + turnTwo.get(0).getTraceId() + "\"]");
        assertThat(OtlpClient.calls(stats, false)).isEqualTo(2);
        assertThat(OtlpClient.calls(stats, true)).isEqualTo(1);
        JsonNode children = otlp.stats(acmeReader, "acme", "\"parent_ids\": [\""
                + turnOne.get(1).getTraceId() + ":" + turnOne.get(1).getSpanId() + "\"]");
        assertThat(turnOne.get(1).getName()).isEqualTo("agent turn");
        assertThat(OtlpClient.calls(children, false)).isEqualTo(1);

        // turn one again, now in JSON: the same span ids, so duplicates, whatever the encoding
        HttpResponse<byte[]> again = otlp.post(json(turnOne), "application/json", acmeWriter);
        assertThat(again.statusCode()).isEqualTo(200);
        server.settleWrites();
        assertThat(assistant("sdk-bot").path("total_llm_tokens").asLong()).isEqualTo(3380);
        assertThat(callCost().path("components").path("llm").decimalValue()).isEqualByComparingTo("0.00886");
    }
}
