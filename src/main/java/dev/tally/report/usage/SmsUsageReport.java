package dev.tally.report.usage;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tally.http.CsvTable;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

/**
 * {@code GET /api/v2/w/{workspace_id}/reports/sms-usage}, in the product's camelCase; totals are the
 * rows' sums. Segments are Tally's own count; {@code unpricedMessages} is Tally's addition: the
 * visible count of messages that neither carried a cost nor found a price, stored at cost 0.
 */
@JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
public record SmsUsageReport(
        LocalDate startDate,
        LocalDate endDate,
        long totalMessages,
        long totalInbound,
        long totalOutbound,
        long totalCharacters,
        long totalSegments,
        long totalInboundSegments,
        long totalOutboundSegments,
        long unpricedMessages,
        List<Row> rows) {

    /** One UTC date and workspace number; only pairs with at least one message appear. */
    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    public record Row(LocalDate date, String phoneNumber, long inbound, long outbound, long inboundSegments,
                      long outboundSegments, long characters) {
    }

    static SmsUsageReport of(LocalDate startDate, LocalDate endDate, long unpriced, List<Row> rows) {
        long inbound = 0;
        long outbound = 0;
        long characters = 0;
        long inboundSegments = 0;
        long outboundSegments = 0;
        for (Row row : rows) {
            inbound = Math.addExact(inbound, row.inbound());
            outbound = Math.addExact(outbound, row.outbound());
            characters = Math.addExact(characters, row.characters());
            inboundSegments = Math.addExact(inboundSegments, row.inboundSegments());
            outboundSegments = Math.addExact(outboundSegments, row.outboundSegments());
        }
        return new SmsUsageReport(startDate, endDate, inbound + outbound, inbound, outbound, characters,
                inboundSegments + outboundSegments, inboundSegments, outboundSegments, unpriced, rows);
    }

    CsvTable csv() {
        CsvTable table = new CsvTable(List.of("date", "phoneNumber", "inbound", "outbound", "inboundSegments",
                "outboundSegments", "characters"));
        for (Row row : rows) {
            table.row(Arrays.asList(row.date(), row.phoneNumber(), row.inbound(), row.outbound(),
                    row.inboundSegments(), row.outboundSegments(), row.characters()));
        }
        return table;
    }
}
