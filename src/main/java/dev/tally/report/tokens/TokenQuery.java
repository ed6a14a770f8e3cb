package dev.tally.report.tokens;

import dev.tally.event.EventType;
import dev.tally.store.EventStore;
import dev.tally.store.SqlBuilder;
import dev.tally.store.rollup.Rollups;
import java.util.List;

/**
 * The token report's SQL, kept apart from the report so a rollup table can answer it later: LLM
 * and TTS usage per agent from {@code events}, calls and talk time per agent from {@code calls}.
 * Only events and calls with an agent count; across tenants unless the filters name one.
 */
final class TokenQuery {
    private final EventStore store;

    TokenQuery(EventStore store) {
        this.store = store;
    }

    /**
     * The rollups hold whole UTC days and no user: they answer when both bounds are UTC midnights
     * and no user is asked for; anything finer reads the raw tables.
     */
    private boolean useRollups(TokenFilters filters) {
        return store.maintainsRollups() && filters.userEmail() == null
                && filters.start().toEpochMilli() % Rollups.DAY_MS == 0 && filters.end().toEpochMilli() % Rollups.DAY_MS == 0;
    }

    private static SqlBuilder rollupWhere(SqlBuilder sql, String table, TokenFilters filters) {
        sql.append(" FROM " + table + " WHERE agent_id IS NOT NULL AND day >= ")
                .value(Rollups.day(filters.start().toEpochMilli()))
                .append(" AND day < ").value(Rollups.day(filters.end().toEpochMilli()));
        if (filters.tenantId() != null) {
            sql.append(" AND tenant_id = ").value(filters.tenantId());
        }
        return sql;
    }

    List<EventTotals> events(TokenFilters filters) {
        String llm = EventType.LLM.wireName();
        String tts = EventType.TTS.wireName();
        if (useRollups(filters)) {
            SqlBuilder sql = new SqlBuilder().append("SELECT agent_id")
                    .append(", sum(CASE WHEN type = ").value(llm).append(" THEN input_tokens + cache_creation_input_tokens"
                            + " + output_tokens + input_audio_tokens + output_audio_tokens ELSE 0 END) AS llm_tokens")
                    .append(", sum(CASE WHEN type = ").value(llm).append(" THEN input_audio_tokens ELSE 0 END)"
                            + " AS llm_input_audio_tokens")
                    .append(", sum(CASE WHEN type = ").value(llm).append(" THEN output_tokens ELSE 0 END)"
                            + " AS llm_output_text_tokens")
                    .append(", sum(CASE WHEN type = ").value(tts).append(" THEN characters ELSE 0 END) AS tts_characters")
                    .append(", sum(CASE WHEN type = ").value(tts).append(" THEN audio_duration_ms ELSE 0 END)"
                            + " AS tts_audio_duration_ms");
            rollupWhere(sql, Rollups.EVENTS.name(), filters).append(" AND type IN ").values(List.of(llm, tts))
                    .append(" GROUP BY agent_id HAVING sum(events) <> 0");
            return eventTotals(sql);
        }
        SqlBuilder sql = new SqlBuilder().append("SELECT agent_id")
                // Cached input tokens are part of input_tokens already; adding them would count them twice.
                .append(", SUM(CASE WHEN type = ").value(llm).append(" THEN input_tokens + cache_creation_input_tokens"
                        + " + output_tokens + input_audio_tokens + output_audio_tokens ELSE 0 END) AS llm_tokens")
                .append(", SUM(CASE WHEN type = ").value(llm).append(" THEN input_audio_tokens ELSE 0 END)"
                        + " AS llm_input_audio_tokens")
                .append(", SUM(CASE WHEN type = ").value(llm).append(" THEN output_tokens ELSE 0 END)"
                        + " AS llm_output_text_tokens")
                .append(", SUM(CASE WHEN type = ").value(tts).append(" THEN characters ELSE 0 END) AS tts_characters")
                .append(", SUM(CASE WHEN type = ").value(tts).append(" THEN audio_duration_ms ELSE 0 END)"
                        + " AS tts_audio_duration_ms")
                .append(" FROM events");
        where(sql, filters).append(" AND type IN ").values(List.of(llm, tts)).append(" GROUP BY agent_id");
        return eventTotals(sql);
    }

    private List<EventTotals> eventTotals(SqlBuilder sql) {
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
        SqlBuilder sql;
        if (useRollups(filters)) {
            sql = new SqlBuilder()
                    .append("SELECT agent_id, sum(timed_calls) AS calls, sum(duration_ms) AS total_duration_ms");
            rollupWhere(sql, Rollups.CALLS_BY_AGENT.name(), filters).append(" GROUP BY agent_id HAVING sum(calls) <> 0");
        } else {
            sql = new SqlBuilder()
                    // an alias named duration_ms would be what ClickHouse reads in count(duration_ms)
                    .append("SELECT agent_id, count(duration_ms) AS calls, SUM(duration_ms) AS total_duration_ms"
                            + " FROM calls");
            where(sql, filters).append(" GROUP BY agent_id");
        }
        return store.query(sql.build()).stream()
                .map(row -> new CallTotals(row.string("agent_id"), row.longValue("calls"),
                        row.longValue("total_duration_ms")))
                .toList();
    }

    private static SqlBuilder where(SqlBuilder sql, TokenFilters filters) {
        sql.append(" WHERE agent_id IS NOT NULL")
                .append(" AND time_ms >= ").value(filters.start().toEpochMilli())
                .append(" AND time_ms < ").value(filters.end().toEpochMilli());
        if (filters.userEmail() != null) {
            sql.append(" AND user_email = ").value(filters.userEmail());
        }
        if (filters.tenantId() != null) {
            sql.append(" AND tenant_id = ").value(filters.tenantId());
        }
        return sql;
    }

    record EventTotals(String agentId, long llmTokens, long llmInputAudioTokens, long llmOutputTextTokens,
                       long ttsCharacters, long ttsAudioDurationMs) {
    }

    record CallTotals(String agentId, long calls, long durationMs) {
    }
}
