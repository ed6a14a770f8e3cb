package dev.tally.report.tokens;

import dev.tally.http.CsvTable;
import dev.tally.report.ReportDecimals;
import dev.tally.report.tokens.TokenQuery.CallTotals;
import dev.tally.report.tokens.TokenQuery.EventTotals;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One assistant's row of {@code GET /admin/analytics/tokens/by-assistant}, in the order of spec 001. */
record AssistantUsage(
        String assistantId,
        long totalCalls,
        long totalLlmTokens,
        long totalLlmInputAudioTokens,
        long totalLlmOutputTextTokens,
        long totalTtsCharacters,
        BigDecimal totalTtsAudioDuration,
        BigDecimal totalCallDurationMinutes,
        BigDecimal totalCallDurationHours) {

    static final List<String> CSV_HEADER = List.of("assistant_id", "total_calls", "total_llm_tokens",
            "total_llm_input_audio_tokens", "total_llm_output_text_tokens", "total_tts_characters",
            "total_tts_audio_duration", "total_call_duration_minutes", "total_call_duration_hours");

    private static final Comparator<AssistantUsage> ORDER = Comparator
            .comparingLong(AssistantUsage::totalLlmTokens).reversed()
            .thenComparing(AssistantUsage::assistantId);

    /** Joins event and call totals by agent: an assistant with only one of the two gets zeros for the other. */
    static List<AssistantUsage> of(List<EventTotals> events, List<CallTotals> calls) {
        Map<String, EventTotals> eventsByAgent = new HashMap<>();
        events.forEach(total -> eventsByAgent.put(total.agentId(), total));
        Map<String, CallTotals> callsByAgent = new HashMap<>();
        calls.forEach(total -> callsByAgent.put(total.agentId(), total));
        List<String> agents = new ArrayList<>(eventsByAgent.keySet());
        callsByAgent.keySet().stream().filter(agent -> !eventsByAgent.containsKey(agent)).forEach(agents::add);

        List<AssistantUsage> usage = new ArrayList<>();
        for (String agent : agents) {
            EventTotals event = eventsByAgent.getOrDefault(agent, new EventTotals(agent, 0, 0, 0, 0, 0));
            CallTotals call = callsByAgent.getOrDefault(agent, new CallTotals(agent, 0, 0));
            usage.add(new AssistantUsage(agent, call.calls(), event.llmTokens(), event.llmInputAudioTokens(),
                    event.llmOutputTextTokens(), event.ttsCharacters(), ReportDecimals.seconds(event.ttsAudioDurationMs()),
                    ReportDecimals.minutes(call.durationMs()), ReportDecimals.hours(call.durationMs())));
        }
        usage.sort(ORDER);
        return usage;
    }

    static CsvTable csv(List<AssistantUsage> assistants) {
        CsvTable table = new CsvTable(CSV_HEADER);
        for (AssistantUsage row : assistants) {
            table.row(List.of(row.assistantId(), row.totalCalls(), row.totalLlmTokens(), row.totalLlmInputAudioTokens(),
                    row.totalLlmOutputTextTokens(), row.totalTtsCharacters(), row.totalTtsAudioDuration(),
                    row.totalCallDurationMinutes(), row.totalCallDurationHours()));
        }
        return table;
    }
}
