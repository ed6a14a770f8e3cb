package dev.tally.report.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.util.List;

/**
 * The phone usage report (spec 004, README): finished calls only (completed or failed, with an end),
 * on the UTC day they started, one row per date and number; each duration total rounded once from
 * the exact sum, so the rows need not add up to the total.
 */
final class PhoneUsageOracle {
    private PhoneUsageOracle() {
    }

    static ObjectNode expected(StoredState stored, String tenant, LocalDate start, LocalDate end) {
        List<JsonNode> calls = stored.events(tenant, "call", call -> EventFields.isFinished(call)
                && EventFields.inDays(call, start, end));
        ObjectNode answer = AnswerComparison.MAPPER.createObjectNode().put("startDate", start.toString())
                .put("endDate", end.toString()).put("totalCalls", calls.size())
                .put("totalDurationSeconds", Durations.wholeSeconds(Groups.sum(calls, EventFields::durationMillis)));
        Groups.putDirections(answer, "totalInbound", "totalOutbound", calls);
        ArrayNode rows = answer.putArray("rows");
        Groups.forEach(Groups.by(calls, call -> Groups.key(EventFields.utcDay(call).toString(),
                EventFields.text(call, "phone_number"))), (key, ofRow) -> Groups.putDirections(rows.addObject()
                .put("date", key[0]).put("phoneNumber", key[1]), "inbound", "outbound", ofRow)
                .put("totalDurationSeconds", Durations.wholeSeconds(Groups.sum(ofRow, EventFields::durationMillis))));
        return answer;
    }
}
