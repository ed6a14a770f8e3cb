package dev.tally.bench;

import dev.tally.event.CostSource;
import dev.tally.event.Event;
import dev.tally.event.EventType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/** Writes generated events as the ingest contract's JSON, one line each (NDJSON). */
public final class NdjsonWriter {

    private NdjsonWriter() {
    }

    /**
     * One batch as an NDJSON body. One final call in five is preceded by its in-progress state, so
     * ingest also replaces call states; the returned count includes those lines.
     */
    public static Body write(List<Event> events) {
        StringBuilder out = new StringBuilder(events.size() * 330);
        int lines = 0;
        for (Event event : events) {
            if (event.type == EventType.CALL && event.isFinalCall() && event.id.hashCode() % 5 == 0) {
                String finalStatus = event.status;
                event.status = "in_progress";
                line(out, event, false);
                lines++;
                event.status = finalStatus;
            }
            line(out, event, true);
            lines++;
        }
        return new Body(out.toString().getBytes(StandardCharsets.UTF_8), lines);
    }

    public record Body(byte[] bytes, int events) {
    }

    private static void line(StringBuilder out, Event event, boolean withEnd) {
        out.append("{\"id\":\"").append(event.id).append("\",\"type\":\"").append(event.type.wireName())
                .append("\",\"time\":\"").append(Instant.ofEpochMilli(event.timeMs)).append('"');
        out.append(",\"tenant_id\":\"").append(event.tenantId).append('"');
        text(out, "agent_id", event.agentId);
        text(out, "user_email", event.userEmail);
        text(out, "member_id", event.memberId);
        if (event.revision > 0) {
            out.append(",\"revision\":").append(event.revision);
        }
        switch (event.type) {
            case CALL -> {
                text(out, "status", event.status);
                text(out, "direction", event.direction);
                text(out, "phone_number", event.phoneNumber);
                if (withEnd && event.endedMs != null) {
                    out.append(",\"ended_at\":\"").append(Instant.ofEpochMilli(event.endedMs)).append('"');
                    out.append(",\"duration_seconds\":").append(event.durationMs / 1000.0);
                    text(out, "sentiment", event.sentiment);
                    text(out, "end_reason", event.endReason);
                    if (event.costSource == CostSource.REPORTED) {
                        out.append(",\"cost_usd\":").append(event.costNanos / 1e9);
                    }
                }
            }
            case LLM -> {
                text(out, "provider", event.provider);
                text(out, "model", event.model);
                text(out, "kind", event.kind);
                text(out, "call_id", event.callId);
                text(out, "op_name", event.opName);
                text(out, "trace_id", event.traceId);
                text(out, "exception", event.exception);
                if (event.endedMs != null) {
                    out.append(",\"ended_at\":\"").append(Instant.ofEpochMilli(event.endedMs)).append('"');
                }
                out.append(",\"input_tokens\":").append(event.inputTokens)
                        .append(",\"cached_input_tokens\":").append(event.cachedInputTokens)
                        .append(",\"output_tokens\":").append(event.outputTokens);
                if (event.inputAudioTokens + event.outputAudioTokens > 0) {
                    out.append(",\"input_audio_tokens\":").append(event.inputAudioTokens)
                            .append(",\"output_audio_tokens\":").append(event.outputAudioTokens);
                }
            }
            case STT -> {
                text(out, "provider", event.provider);
                text(out, "model", event.model);
                text(out, "call_id", event.callId);
                out.append(",\"duration_seconds\":").append(event.durationMs / 1000.0);
            }
            case TTS -> {
                text(out, "provider", event.provider);
                text(out, "model", event.model);
                text(out, "call_id", event.callId);
                out.append(",\"characters\":").append(event.characters)
                        .append(",\"audio_duration_seconds\":").append(event.audioDurationMs / 1000.0);
            }
            case SMS -> {
                text(out, "direction", event.direction);
                text(out, "phone_number", event.phoneNumber);
                out.append(",\"characters\":").append(event.characters);
                text(out, "encoding", event.encoding);
                if (event.costSource == CostSource.REPORTED) {
                    out.append(",\"cost_usd\":").append(java.math.BigDecimal.valueOf(event.costNanos, 9).toPlainString());
                }
            }
            case CHAT -> {
                // common fields only
            }
            case MESSAGE -> {
                text(out, "chat_id", event.chatId);
                text(out, "role", event.role);
            }
            case FEE -> {
                text(out, "kind", event.kind);
                text(out, "provider", event.provider);
                text(out, "call_id", event.callId);
                out.append(",\"cost_usd\":").append(java.math.BigDecimal.valueOf(event.costNanos, 9).toPlainString());
            }
        }
        out.append("}\n");
    }

    private static void text(StringBuilder out, String field, String value) {
        if (value != null) {
            out.append(",\"").append(field).append("\":\"").append(value).append('"');
        }
    }
}
