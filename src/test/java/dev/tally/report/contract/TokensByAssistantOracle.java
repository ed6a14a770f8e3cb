package dev.tally.report.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * {@code GET /admin/analytics/tokens/by-assistant} (spec 001, README "Tokens by assistant") from the
 * stored LLM requests, syntheses and calls of every tenant, or of one: the range is half-open; an
 * agent id is one row across tenants; LLM tokens are input (cached included) + cache creation +
 * output + audio; {@code total_calls} counts finished calls, whose duration is known; minutes and
 * hours come from the exact total. Most LLM tokens first, then by id.
 */
final class TokensByAssistantOracle {
    private TokensByAssistantOracle() {
    }

    static ObjectNode expected(StoredState stored, Instant start, Instant end, String user, String tenant) {
        Predicate<JsonNode> selected = event -> EventFields.has(event, "agent_id")
                && EventFields.inInstants(event, start, end)
                && (user == null || user.equals(EventFields.text(event, "user_email")));
        List<JsonNode> requests = new ArrayList<>();
        List<JsonNode> syntheses = new ArrayList<>();
        List<JsonNode> calls = new ArrayList<>();
        for (String each : stored.tenants()) {
            if (tenant == null || tenant.equals(each)) {
                requests.addAll(stored.events(each, "llm", selected));
                syntheses.addAll(stored.events(each, "tts", selected));
                calls.addAll(stored.events(each, "call", selected));
            }
        }
        List<JsonNode> all = new ArrayList<>(requests);
        all.addAll(syntheses);
        all.addAll(calls);
        List<ObjectNode> rows = new ArrayList<>();
        for (String agent : Groups.by(all, event -> EventFields.text(event, "agent_id")).keySet()) {
            Predicate<JsonNode> ofAgent = event -> agent.equals(EventFields.text(event, "agent_id"));
            List<JsonNode> agentRequests = requests.stream().filter(ofAgent).toList();
            List<JsonNode> agentSyntheses = syntheses.stream().filter(ofAgent).toList();
            List<JsonNode> finishedCalls = calls.stream().filter(ofAgent).filter(EventFields::isFinished).toList();
            long callMillis = Groups.sum(finishedCalls, call -> Objects.requireNonNull(EventFields.durationMillis(call)));
            long audioMillis = Groups.sumDecimal(agentSyntheses, tts -> EventFields.decimal(tts, "audio_duration_seconds"))
                    .movePointRight(3).longValueExact();
            rows.add(AnswerComparison.MAPPER.createObjectNode().put("assistant_id", agent)
                    .put("total_calls", finishedCalls.size())
                    .put("total_llm_tokens", Groups.sum(agentRequests, TokensByAssistantOracle::llmTokens))
                    .put("total_llm_input_audio_tokens", Groups.sum(agentRequests, "input_audio_tokens"))
                    .put("total_llm_output_text_tokens", Groups.sum(agentRequests, "output_tokens"))
                    .put("total_tts_characters", Groups.sum(agentSyntheses, "characters"))
                    .put("total_tts_audio_duration", Durations.secondsToHundredths(audioMillis))
                    .put("total_call_duration_minutes", Durations.minutes(callMillis))
                    .put("total_call_duration_hours", Durations.hours(callMillis)));
        }
        rows.sort(Comparator.comparing((ObjectNode row) -> -row.path("total_llm_tokens").asLong())
                .thenComparing(row -> row.path("assistant_id").asText()));
        ObjectNode answer = AnswerComparison.MAPPER.createObjectNode().put("success", true)
                .put("message", "Token usage by assistant fetched successfully");
        ArrayNode assistants = answer.putObject("data").putArray("assistants");
        rows.forEach(assistants::add);
        return answer;
    }

    private static long llmTokens(JsonNode llm) {
        return EventFields.count(llm, "input_tokens") + EventFields.count(llm, "cache_creation_input_tokens")
                + EventFields.count(llm, "output_tokens") + EventFields.count(llm, "input_audio_tokens")
                + EventFields.count(llm, "output_audio_tokens");
    }
}
