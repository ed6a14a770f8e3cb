package dev.tally.report.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Function;

/**
 * The voice usage report (spec 004): transcribed seconds of the STT events and synthesized
 * characters of the TTS events, by provider and model and by UTC day, provider and model.
 */
final class VoiceUsageOracle {
    private VoiceUsageOracle() {
    }

    static ObjectNode expected(StoredState stored, String tenant, LocalDate start, LocalDate end) {
        List<JsonNode> transcriptions = stored.events(tenant, "stt", stt -> EventFields.inDays(stt, start, end));
        List<JsonNode> syntheses = stored.events(tenant, "tts", tts -> EventFields.inDays(tts, start, end));
        ObjectNode answer = AnswerComparison.MAPPER.createObjectNode().put("startDate", start.toString())
                .put("endDate", end.toString())
                .put("totalSttDurationSeconds", seconds(transcriptions))
                .put("totalSttMessages", transcriptions.size())
                .put("totalTtsCharacters", Groups.sum(syntheses, "characters"))
                .put("totalTtsMessages", syntheses.size())
                // the contract's book prices no audio minute or character: what carries no cost is unpriced
                .put("unpricedSttMessages", unpriced(transcriptions))
                .put("unpricedTtsMessages", unpriced(syntheses));
        answer.set("sttByProvider", rows(transcriptions, false, "durationSeconds", VoiceUsageOracle::seconds));
        answer.set("ttsByProvider", rows(syntheses, false, "characters",
                ofRow -> BigDecimal.valueOf(Groups.sum(ofRow, "characters"))));
        answer.set("sttRows", rows(transcriptions, true, "durationSeconds", VoiceUsageOracle::seconds));
        answer.set("ttsRows", rows(syntheses, true, "characters",
                ofRow -> BigDecimal.valueOf(Groups.sum(ofRow, "characters"))));
        return answer;
    }

    static long unpriced(List<JsonNode> events) {
        return events.stream().filter(event -> !EventFields.has(event, "cost_usd")).count();
    }

    private static BigDecimal seconds(List<JsonNode> transcriptions) {
        return Groups.sumDecimal(transcriptions, stt -> EventFields.decimal(stt, "duration_seconds"));
    }

    private static ArrayNode rows(List<JsonNode> events, boolean daily, String amountName,
                                  Function<List<JsonNode>, BigDecimal> amount) {
        ArrayNode rows = AnswerComparison.MAPPER.createArrayNode();
        Groups.forEach(Groups.by(events, event -> Groups.key(daily ? EventFields.utcDay(event).toString() : "",
                EventFields.text(event, "provider"), EventFields.text(event, "model"))), (key, ofRow) -> {
            ObjectNode row = rows.addObject();
            if (daily) {
                row.put("date", key[0]);
            }
            row.put("provider", key[1]).put("model", key[2]).put(amountName, amount.apply(ofRow))
                    .put("messages", ofRow.size());
        });
        return rows;
    }
}
