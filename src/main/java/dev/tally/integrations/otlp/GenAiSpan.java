package dev.tally.integrations.otlp;

import dev.tally.error.Rejection;
import dev.tally.integrations.MappedEvent;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One span under OpenTelemetry's GenAI semantic conventions as a Tally {@code llm} event, or nothing
 * for a span that is no model request. The event's id is the span's own ({@code <trace id>:<span
 * id>}, hex), so an exporter's retry of the same span is a duplicate, and its {@code parent_id} is the
 * parent span's id in the same form: it names the parent's event when the parent is a model request too.
 *
 * <p>Both spellings of the conventions are read: {@code gen_ai.provider.name} and the older
 * {@code gen_ai.system}, {@code gen_ai.usage.cache_read.input_tokens} and the older
 * {@code gen_ai.usage.input_cached_tokens}.
 */
final class GenAiSpan {
    static final String INPUT_TOKENS = "gen_ai.usage.input_tokens";
    static final String OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
    static final String CACHE_READ_TOKENS = "gen_ai.usage.cache_read.input_tokens";
    static final String OLDER_CACHE_READ_TOKENS = "gen_ai.usage.input_cached_tokens";
    static final String CACHE_CREATION_TOKENS = "gen_ai.usage.cache_creation.input_tokens";
    static final String REQUEST_MODEL = "gen_ai.request.model";
    static final String RESPONSE_MODEL = "gen_ai.response.model";
    static final String PROVIDER = "gen_ai.provider.name";
    static final String OLDER_PROVIDER = "gen_ai.system";
    static final String OPERATION = "gen_ai.operation.name";
    static final String CONVERSATION = "gen_ai.conversation.id";
    static final String AGENT = "gen_ai.agent.id";

    /** The contract's limit on ids, and so on a conversation id read as the call's. */
    private static final int MAX_ID = 128;
    private static final Set<String> MODEL_OR_USAGE = Set.of(REQUEST_MODEL, RESPONSE_MODEL, INPUT_TOKENS,
            OUTPUT_TOKENS, CACHE_READ_TOKENS, OLDER_CACHE_READ_TOKENS, CACHE_CREATION_TOKENS);
    /**
     * Operations that are no model request of their own: an agent's span may carry the usage of the
     * requests under it, which are spans of their own, so counting it would count their tokens twice.
     */
    private static final Set<String> NOT_A_MODEL_REQUEST = Set.of("invoke_agent", "create_agent", "execute_tool");
    /** The conventions' provider names for the providers Tally's price book names otherwise. */
    private static final Map<String, String> PRICE_BOOK_PROVIDER = Map.of("gcp.gemini", "google",
            "gcp.vertex_ai", "google", "gcp.gen_ai", "google", "aws.bedrock", "aws");

    private GenAiSpan() {
    }

    /** The span's event, or empty for a span without a model or token usage; a bad GenAI value is refused. */
    static Optional<MappedEvent> event(Span span, String path, String serviceName) {
        SpanAttributes attributes = new SpanAttributes(span.getAttributesList(), path);
        if (MODEL_OR_USAGE.stream().noneMatch(attributes::has)) {
            return Optional.empty();
        }
        String operation = attributes.text(OPERATION);
        if (operation != null && NOT_A_MODEL_REQUEST.contains(operation)) {
            return Optional.empty();
        }
        String traceId = id(span.getTraceId().toByteArray(), 16, path + ".traceId");
        String spanId = id(span.getSpanId().toByteArray(), 8, path + ".spanId");
        String id = traceId + ":" + spanId;
        MappedEvent event = new MappedEvent(id, "llm", time(span.getStartTimeUnixNano(), path + ".startTimeUnixNano"),
                path + ".startTimeUnixNano").put("id", id, path + ".spanId");
        if (span.getEndTimeUnixNano() != 0) {
            event.put("ended_at", time(span.getEndTimeUnixNano(), path + ".endTimeUnixNano"), path + ".endTimeUnixNano");
        }
        event.put("trace_id", traceId, path + ".traceId");
        if (!span.getParentSpanId().isEmpty()) {
            event.put("parent_id", traceId + ":" + id(span.getParentSpanId().toByteArray(), 8, path + ".parentSpanId"),
                    path + ".parentSpanId");
        }
        String modelKey = attributes.firstPresent(RESPONSE_MODEL, REQUEST_MODEL);
        String model = attributes.text(modelKey);
        // the contract requires a model; a span that names none is still usage, stored unpriced
        event.put("model", model == null || model.isBlank() ? "unknown" : model,
                modelKey == null ? path : attributes.path(modelKey));
        String providerKey = attributes.firstPresent(PROVIDER, OLDER_PROVIDER);
        event.put("provider", provider(attributes.text(providerKey)), providerKey == null ? null : attributes.path(providerKey));
        event.put("op_name", operation, attributes.path(OPERATION));
        String conversation = attributes.text(CONVERSATION);
        if (conversation != null && conversation.length() > MAX_ID) {
            throw Rejection.invalid(attributes.path(CONVERSATION), "must be at most " + MAX_ID + " characters");
        }
        // a voice agent's conversation is its call, a chat application's its chat: the id is given as both, and
        // whichever the tenant has (a call's cost, a chat's member) takes the span; the other matches nothing
        event.put("call_id", conversation, attributes.path(CONVERSATION));
        event.put("chat_id", conversation, attributes.path(CONVERSATION));
        event.put("agent_id", attributes.text(AGENT), attributes.path(AGENT));
        counts(attributes, event);
        exception(span.getStatus()).ifPresent(message -> event.put("exception", message, path + ".status.message"));
        event.attribute("service.name", serviceName, "resource.attributes.service.name");
        return Optional.of(event);
    }

    private static void counts(SpanAttributes attributes, MappedEvent event) {
        event.put("input_tokens", attributes.count(INPUT_TOKENS), attributes.path(INPUT_TOKENS));
        event.put("output_tokens", attributes.count(OUTPUT_TOKENS), attributes.path(OUTPUT_TOKENS));
        String cacheRead = attributes.firstPresent(CACHE_READ_TOKENS, OLDER_CACHE_READ_TOKENS);
        event.put("cached_input_tokens", attributes.count(cacheRead), cacheRead == null ? null : attributes.path(cacheRead));
        event.put("cache_creation_input_tokens", attributes.count(CACHE_CREATION_TOKENS),
                attributes.path(CACHE_CREATION_TOKENS));
    }

    /** A failed request's status message, or the status itself when the span gave none. */
    private static Optional<String> exception(Status status) {
        if (status.getCode() != Status.StatusCode.STATUS_CODE_ERROR) {
            return Optional.empty();
        }
        String message = status.getMessage();
        return Optional.of(message.isBlank() ? "error" : message);
    }

    private static String provider(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        String lower = name.trim().toLowerCase(Locale.ROOT);
        return PRICE_BOOK_PROVIDER.getOrDefault(lower, lower);
    }

    /** A trace or span id as OTLP's JSON writes it: lowercase hex of its bytes, which must be all there. */
    private static String id(byte[] bytes, int length, String field) {
        if (bytes.length != length) {
            throw Rejection.invalid(field, "must be " + length + " bytes (" + 2 * length + " hex digits)");
        }
        boolean allZero = true;
        for (byte value : bytes) {
            allZero &= value == 0;
        }
        if (allZero) {
            throw Rejection.invalid(field, "must not be all zeros, which OpenTelemetry reserves for no id");
        }
        return HexFormat.of().formatHex(bytes);
    }

    /** Unix nanoseconds (OTLP's fixed64, unsigned) as RFC 3339 with every digit the span gave. */
    private static String time(long unixNanos, String field) {
        if (unixNanos == 0) {
            throw Rejection.invalid(field, "is required");
        }
        if (unixNanos < 0) {
            // past 2262 as an unsigned number: no span happens then
            throw Rejection.invalid(field, "is out of range");
        }
        return Instant.ofEpochSecond(unixNanos / 1_000_000_000L, unixNanos % 1_000_000_000L).toString();
    }
}
