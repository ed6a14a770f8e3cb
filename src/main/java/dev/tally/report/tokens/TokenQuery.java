package dev.tally.report.tokens;

import dev.tally.event.EventType;
import dev.tally.store.ReportStore;
import dev.tally.store.rollup.RollupRead;
import dev.tally.store.rollup.RollupTable;
import dev.tally.store.rollup.Rollups;
import dev.tally.store.sql.SqlBuilder;
import java.util.List;

/**
 * The token report's SQL: LLM and TTS usage per agent from the events rollup, calls and talk time
 * per agent from the calls-by-agent rollup. Only events and calls with an agent count; across
 * tenants unless the filters name one. Any range works: the store fills part-days from raw rows.
 */
final class TokenQuery {
    private final ReportStore store;

    TokenQuery(ReportStore store) {
        this.store = store;
    }

    /** The rollup's rows for the filters: a user filter is one only the raw rows can answer, the store knows that. */
    private SqlBuilder from(SqlBuilder sql, RollupRead read, TokenFilters filters) {
        if (filters.userEmail() != null) {
            read = read.whereRaw("user_email", filters.userEmail());
        }
        return sql.append(" FROM ").append(store.rollup(read)).append(" AS agent_rows WHERE agent_id IS NOT NULL");
    }

    private static RollupRead read(RollupTable table, TokenFilters filters) {
        return RollupRead.of(table, filters.tenantId(), filters.start().toEpochMilli(), filters.end().toEpochMilli());
    }

    List<EventTotals> events(TokenFilters filters) {
        String llm = EventType.LLM.wireName();
        String tts = EventType.TTS.wireName();
        SqlBuilder sql = new SqlBuilder().append("SELECT agent_id")
                // Cached input tokens are part of input_tokens already; adding them would count them twice.
                .append(", sum(CASE WHEN type = ").value(llm).append(" THEN input_tokens + cache_creation_input_tokens"
                        + " + output_tokens + input_audio_tokens + output_audio_tokens ELSE 0 END) AS llm_tokens")
                .append(", sum(CASE WHEN type = ").value(llm).append(" THEN input_audio_tokens ELSE 0 END)"
                        + " AS llm_input_audio_tokens")
                .append(", sum(CASE WHEN type = ").value(llm).append(" THEN output_tokens ELSE 0 END)"
                        + " AS llm_output_text_tokens")
                .append(", sum(CASE WHEN type = ").value(tts).append(" THEN characters ELSE 0 END) AS tts_characters")
                .append(", sum(CASE WHEN type = ").value(tts).append(" THEN audio_duration_ms ELSE 0 END)"
                        + " AS tts_audio_duration_ms");
        from(sql, read(Rollups.EVENTS, filters), filters).append(" AND type IN ").values(List.of(llm, tts))
                .append(" GROUP BY agent_id HAVING sum(events) <> 0");
        return store.query(sql.build()).stream()
                .map(row -> new EventTotals(row.string("agent_id"), row.longValue("llm_tokens"),
                        row.longValue("llm_input_audio_tokens"), row.longValue("llm_output_text_tokens"),
                        row.longValue("tts_characters"), row.longValue("tts_audio_duration_ms")))
                .toList();
    }

    /**
     * Calls per agent. {@code total_calls} is "calls with usage data" (spec 001): a call counts once its
     * duration is known, the same calls whose minutes the report adds up; a call still in progress
     * without one keeps its agent in the list but is not counted.
     */
    List<CallTotals> calls(TokenFilters filters) {
        SqlBuilder sql = new SqlBuilder()
                .append("SELECT agent_id, sum(timed_calls) AS timed_call_count, sum(duration_ms) AS total_duration_ms");
        from(sql, read(Rollups.CALLS_BY_AGENT, filters).measures("calls", "timed_calls", "duration_ms"), filters)
                .append(" GROUP BY agent_id HAVING sum(calls) <> 0");
        return store.query(sql.build()).stream()
                .map(row -> new CallTotals(row.string("agent_id"), row.longValue("timed_call_count"),
                        row.longValue("total_duration_ms")))
                .toList();
    }

    record EventTotals(String agentId, long llmTokens, long llmInputAudioTokens, long llmOutputTextTokens,
                       long ttsCharacters, long ttsAudioDurationMs) {
    }

    record CallTotals(String agentId, long calls, long durationMs) {
    }
}
