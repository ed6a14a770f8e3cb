package dev.tally.report.usage;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.tally.http.CsvTable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

/**
 * {@code GET /api/v2/w/{workspace_id}/reports/voice-usage}, in the product's camelCase: volume only
 * (seconds, characters, messages), since voice is billed in credits at the organisation level.
 * {@code unpricedSttMessages} and {@code unpricedTtsMessages} are Tally's additions: the visible
 * count of events that neither carried a cost nor found a price, stored at cost 0.
 */
@JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
public record VoiceUsageReport(
        LocalDate startDate,
        LocalDate endDate,
        @JsonSerialize(using = Decimals.PlainSerializer.class) BigDecimal totalSttDurationSeconds,
        long totalSttMessages,
        long totalTtsCharacters,
        long totalTtsMessages,
        long unpricedSttMessages,
        long unpricedTtsMessages,
        List<SttProvider> sttByProvider,
        List<TtsProvider> ttsByProvider,
        List<SttRow> sttRows,
        List<TtsRow> ttsRows) {

    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    public record SttProvider(String provider, String model,
                              @JsonSerialize(using = Decimals.PlainSerializer.class) BigDecimal durationSeconds,
                              long messages) {
    }

    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    public record TtsProvider(String provider, String model, long characters, long messages) {
    }

    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    public record SttRow(LocalDate date, String provider, String model,
                         @JsonSerialize(using = Decimals.PlainSerializer.class) BigDecimal durationSeconds,
                         long messages) {
    }

    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    public record TtsRow(LocalDate date, String provider, String model, long characters, long messages) {
    }

    /** STT and TTS daily rows in one table, told apart by {@code kind}; a column that does not apply is empty. */
    CsvTable csv() {
        CsvTable table = new CsvTable(List.of("kind", "date", "provider", "model", "durationSeconds", "characters",
                "messages"));
        for (SttRow row : sttRows) {
            table.row(Arrays.asList("stt", row.date(), row.provider(),
                    row.model(), row.durationSeconds().toPlainString(), "", row.messages()));
        }
        for (TtsRow row : ttsRows) {
            table.row(Arrays.asList("tts", row.date(), row.provider(),
                    row.model(), "", row.characters(), row.messages()));
        }
        return table;
    }
}
