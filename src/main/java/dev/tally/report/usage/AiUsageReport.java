package dev.tally.report.usage;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.tally.http.CsvTable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /api/v2/w/{workspace_id}/reports/ai-usage}, in the product's snake_case.
 *
 * <p>Tokens are text tokens (input, cache creation, output); cached and audio tokens are reported
 * apart. {@code unpriced_requests} and {@code total_cost_usd} are Tally's additions: the visible
 * count of LLM requests whose model has no price, and the exact cost.
 */
public record AiUsageReport(
        LocalDate startDate,
        LocalDate endDate,
        long totalMessages,
        long totalTokens,
        long totalCachedTokens,
        long totalAudioInputTokens,
        long totalAudioOutputTokens,
        @JsonSerialize(using = Decimals.PlainSerializer.class) BigDecimal totalCredits,
        long unpricedRequests,
        @JsonSerialize(using = Decimals.PlainSerializer.class) BigDecimal totalCostUsd,
        List<ProviderUsage> byProvider,
        List<TypeUsage> byType,
        List<ModelUsage> topModels) {

    public record ProviderUsage(String provider, long requests, long totalTokens,
                                @JsonSerialize(using = Decimals.PlainSerializer.class) BigDecimal totalCredits,
                                @JsonSerialize(using = Decimals.PlainSerializer.class) BigDecimal totalCostUsd) {
    }

    /** {@code type} is {@code chat} or {@code realtime}; an LLM event that names no kind is chat. */
    public record TypeUsage(String type, long requests, long totalTokens,
                            @JsonSerialize(using = Decimals.PlainSerializer.class) BigDecimal totalCredits) {
    }

    public record ModelUsage(String model, String provider, long requests, long totalTokens,
                             @JsonSerialize(using = Decimals.PlainSerializer.class) BigDecimal totalCredits) {
    }

    /** The three breakdowns in one table, told apart by the {@code section} column; totals are their sums. */
    CsvTable csv() {
        CsvTable table = new CsvTable(List.of("section", "provider", "type", "model", "requests", "total_tokens",
                "total_credits", "total_cost_usd"));
        for (ProviderUsage usage : byProvider) {
            table.row(row("by_provider", usage.provider(), null, null, usage.requests(), usage.totalTokens(),
                    usage.totalCredits(), usage.totalCostUsd()));
        }
        for (TypeUsage usage : byType) {
            table.row(row("by_type", null, usage.type(), null, usage.requests(), usage.totalTokens(),
                    usage.totalCredits(), null));
        }
        for (ModelUsage usage : topModels) {
            table.row(row("top_models", usage.provider(), null, usage.model(), usage.requests(), usage.totalTokens(),
                    usage.totalCredits(), null));
        }
        return table;
    }

    private static List<Object> row(Object... values) {
        List<Object> row = new ArrayList<>();
        for (Object value : values) {
            row.add(value instanceof BigDecimal decimal ? decimal.toPlainString() : value);
        }
        return row;
    }
}
