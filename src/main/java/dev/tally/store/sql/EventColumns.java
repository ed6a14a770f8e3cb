package dev.tally.store.sql;

import dev.tally.event.Event;
import dev.tally.ingest.dedup.IdFingerprint;
import dev.tally.store.json.AttributesJson;
import java.util.List;
import java.util.function.Function;

/**
 * The stored event row, column by column.
 *
 * <p>One wide table rather than one per event type: reports mix types (calls with their LLM
 * turns, SMS with calls per phone number) and a columnar store pays nothing for the NULLs.
 * Times are epoch milliseconds (UTC) so buckets are plain integer arithmetic on every engine.
 */
public final class EventColumns {

    public static final List<EventColumn> ALL = List.of(
            required("tenant_id", ColumnKind.STRING, event -> event.tenantId),
            required("id", ColumnKind.STRING, event -> event.id),
            required("id_hash", ColumnKind.LONG, event -> IdFingerprint.of(event.tenantId, event.id)),
            required("type", ColumnKind.STRING, event -> event.type.wireName()),
            required("time_ms", ColumnKind.LONG, event -> event.timeMs),
            optional("agent_id", ColumnKind.STRING, event -> event.agentId),
            optional("user_email", ColumnKind.STRING, event -> event.userEmail),
            optional("member_id", ColumnKind.STRING, event -> event.memberId),
            required("attributes", ColumnKind.STRING, event -> AttributesJson.write(event.attributes)),
            optional("status", ColumnKind.STRING, event -> event.status),
            optional("direction", ColumnKind.STRING, event -> event.direction),
            optional("phone_number", ColumnKind.STRING, event -> event.phoneNumber),
            optional("ended_ms", ColumnKind.LONG, event -> event.endedMs),
            optional("duration_ms", ColumnKind.LONG, event -> event.durationMs),
            optional("sentiment", ColumnKind.STRING, event -> event.sentiment),
            optional("end_reason", ColumnKind.STRING, event -> event.endReason),
            optional("provider", ColumnKind.STRING, event -> event.provider),
            optional("model", ColumnKind.STRING, event -> event.model),
            optional("kind", ColumnKind.STRING, event -> event.kind),
            optional("call_id", ColumnKind.STRING, event -> event.callId),
            optional("chat_id", ColumnKind.STRING, event -> event.chatId),
            optional("exception", ColumnKind.STRING, event -> event.exception),
            optional("op_name", ColumnKind.STRING, event -> event.opName),
            optional("trace_id", ColumnKind.STRING, event -> event.traceId),
            optional("parent_id", ColumnKind.STRING, event -> event.parentId),
            optional("thread_id", ColumnKind.STRING, event -> event.threadId),
            optional("turn_id", ColumnKind.STRING, event -> event.turnId),
            optional("run_id", ColumnKind.STRING, event -> event.runId),
            required("input_tokens", ColumnKind.LONG, event -> event.inputTokens),
            required("cached_input_tokens", ColumnKind.LONG, event -> event.cachedInputTokens),
            required("cache_creation_input_tokens", ColumnKind.LONG, event -> event.cacheCreationInputTokens),
            required("output_tokens", ColumnKind.LONG, event -> event.outputTokens),
            required("input_audio_tokens", ColumnKind.LONG, event -> event.inputAudioTokens),
            required("output_audio_tokens", ColumnKind.LONG, event -> event.outputAudioTokens),
            optional("characters", ColumnKind.LONG, event -> event.characters),
            optional("audio_duration_ms", ColumnKind.LONG, event -> event.audioDurationMs),
            optional("encoding", ColumnKind.STRING, event -> event.encoding),
            optional("segments", ColumnKind.INTEGER, event -> event.segments),
            optional("body", ColumnKind.STRING, event -> event.body),
            optional("role", ColumnKind.STRING, event -> event.role),
            optional("channel", ColumnKind.STRING, event -> event.channel),
            required("cost_nanos", ColumnKind.LONG, event -> event.costNanos),
            required("cost_source", ColumnKind.STRING, event -> event.costSource.wireName()),
            required("input_cost_nanos", ColumnKind.LONG, event -> event.inputCostNanos),
            required("output_cost_nanos", ColumnKind.LONG, event -> event.outputCostNanos),
            required("credits_micros", ColumnKind.LONG, event -> event.creditsMicros),
            required("received_ms", ColumnKind.LONG, event -> event.receivedMs),
            // version 2 of the contract; last, because a store made by an older release adds them at the end
            required("revision", ColumnKind.LONG, event -> event.revision),
            optional("reported_total_cost_nanos", ColumnKind.LONG, event -> event.reportedTotalCostNanos),
            optional("carrier_segments", ColumnKind.LONG, event -> event.carrierSegments),
            optional("quantity_micros", ColumnKind.LONG, event -> event.quantityMicros),
            optional("unit", ColumnKind.STRING, event -> event.unit));

    private EventColumns() {
    }

    private static EventColumn required(String name, ColumnKind kind, Function<Event, Object> reader) {
        return new EventColumn(name, kind, false, reader);
    }

    private static EventColumn optional(String name, ColumnKind kind, Function<Event, Object> reader) {
        return new EventColumn(name, kind, true, reader);
    }
}
