package dev.tally.report.usage;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.tally.http.CsvTable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/** {@code GET /api/v2/w/{workspace_id}/reports/member-usage/{member_id}}, in the product's camelCase. */
@JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
public record MemberUsageReport(
        String memberId,
        LocalDate startDate,
        LocalDate endDate,
        long totalChats,
        long totalMessages,
        @JsonSerialize(using = Decimals.PlainSerializer.class) BigDecimal totalCredits) {

    CsvTable csv() {
        return new CsvTable(List.of("memberId", "startDate", "endDate", "totalChats", "totalMessages", "totalCredits"))
                .row(List.of(memberId, startDate, endDate, totalChats, totalMessages, totalCredits.toPlainString()));
    }
}
