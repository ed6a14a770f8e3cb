package dev.tally.report.usage;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tally.http.CsvTable;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

/**
 * {@code GET /api/v2/w/{workspace_id}/reports/phone-usage}, in the product's camelCase.
 *
 * <p>Durations are whole seconds rounded half up once per sum of milliseconds: the total is the
 * rounded sum of all calls, not the sum of the rounded rows, so the two can differ by rounding.
 * A call with no direction counts in {@code totalCalls} only.
 */
@JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
public record PhoneUsageReport(
        LocalDate startDate,
        LocalDate endDate,
        long totalCalls,
        long totalInbound,
        long totalOutbound,
        long totalDurationSeconds,
        List<Row> rows) {

    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    public record Row(LocalDate date, String phoneNumber, long inbound, long outbound, long totalDurationSeconds) {
    }

    CsvTable csv() {
        CsvTable table = new CsvTable(List.of("date", "phoneNumber", "inbound", "outbound", "totalDurationSeconds"));
        for (Row row : rows) {
            table.row(Arrays.asList(row.date(), row.phoneNumber(), row.inbound(), row.outbound(),
                    row.totalDurationSeconds()));
        }
        return table;
    }
}
