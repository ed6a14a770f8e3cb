package dev.tally.store.rollup;

import dev.tally.event.CostSource;
import dev.tally.event.Event;
import dev.tally.event.EventType;
import dev.tally.store.sql.Row;

/**
 * Rebuilds, from a stored row, the fields of an event that the rollups read (for replaced calls and
 * corrected events, and backfills), with the member, chat and revision a correction is judged and
 * retracted by.
 */
public final class StoredEvent {
    /** The columns {@link #fromRow} needs. */
    public static final String COLUMNS = "tenant_id, id, type, time_ms, agent_id, status, direction, phone_number,"
            + " ended_ms, duration_ms, sentiment, provider, model, kind, input_tokens, cached_input_tokens,"
            + " cache_creation_input_tokens, output_tokens, input_audio_tokens, output_audio_tokens, characters,"
            + " audio_duration_ms, segments, cost_nanos, cost_source, credits_micros, input_cost_nanos, output_cost_nanos,"
            + " exception, member_id, chat_id, revision, call_id";

    private StoredEvent() {
    }

    public static Event fromRow(Row row) {
        Event event = new Event();
        event.tenantId = row.string("tenant_id");
        event.id = row.string("id");
        event.type = EventType.fromWire(row.string("type")).orElseThrow();
        event.timeMs = row.longValue("time_ms");
        event.agentId = row.string("agent_id");
        event.status = row.string("status");
        event.direction = row.string("direction");
        event.phoneNumber = row.string("phone_number");
        event.endedMs = nullableLong(row, "ended_ms");
        event.durationMs = nullableLong(row, "duration_ms");
        event.sentiment = row.string("sentiment");
        event.provider = row.string("provider");
        event.model = row.string("model");
        event.kind = row.string("kind");
        event.inputTokens = row.longValue("input_tokens");
        event.cachedInputTokens = row.longValue("cached_input_tokens");
        event.cacheCreationInputTokens = row.longValue("cache_creation_input_tokens");
        event.outputTokens = row.longValue("output_tokens");
        event.inputAudioTokens = row.longValue("input_audio_tokens");
        event.outputAudioTokens = row.longValue("output_audio_tokens");
        event.characters = nullableLong(row, "characters");
        event.audioDurationMs = nullableLong(row, "audio_duration_ms");
        Long segments = nullableLong(row, "segments");
        event.segments = segments == null ? null : segments.intValue();
        event.costNanos = row.longValue("cost_nanos");
        event.costSource = CostSource.fromWire(row.string("cost_source"));
        event.creditsMicros = row.longValue("credits_micros");
        event.inputCostNanos = row.longValue("input_cost_nanos");
        event.outputCostNanos = row.longValue("output_cost_nanos");
        event.exception = row.string("exception");
        event.memberId = row.string("member_id");
        event.chatId = row.string("chat_id");
        event.revision = row.longValue("revision");
        event.callId = row.string("call_id");
        return event;
    }

    /**
     * The fields {@link #fromRow} reads, copied from an event as it is written: what reading its row
     * back would give, without the read.
     */
    public static Event of(Event written) {
        Event event = new Event();
        event.tenantId = written.tenantId;
        event.id = written.id;
        event.type = written.type;
        event.timeMs = written.timeMs;
        event.agentId = written.agentId;
        event.status = written.status;
        event.direction = written.direction;
        event.phoneNumber = written.phoneNumber;
        event.endedMs = written.endedMs;
        event.durationMs = written.durationMs;
        event.sentiment = written.sentiment;
        event.provider = written.provider;
        event.model = written.model;
        event.kind = written.kind;
        event.inputTokens = written.inputTokens;
        event.cachedInputTokens = written.cachedInputTokens;
        event.cacheCreationInputTokens = written.cacheCreationInputTokens;
        event.outputTokens = written.outputTokens;
        event.inputAudioTokens = written.inputAudioTokens;
        event.outputAudioTokens = written.outputAudioTokens;
        event.characters = written.characters;
        event.audioDurationMs = written.audioDurationMs;
        event.segments = written.segments;
        event.costNanos = written.costNanos;
        event.costSource = written.costSource;
        event.creditsMicros = written.creditsMicros;
        event.inputCostNanos = written.inputCostNanos;
        event.outputCostNanos = written.outputCostNanos;
        event.exception = written.exception;
        event.memberId = written.memberId;
        event.chatId = written.chatId;
        event.revision = written.revision;
        event.callId = written.callId;
        return event;
    }

    private static Long nullableLong(Row row, String column) {
        return row.get(column) == null ? null : row.longValue(column);
    }
}
