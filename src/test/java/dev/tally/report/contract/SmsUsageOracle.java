package dev.tally.report.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.util.List;

/**
 * The SMS usage report (spec 004) from the stored SMS events: one row per UTC date and number,
 * segments by the ingest contract's rules. The generated bodies are plain ASCII letters and spaces,
 * all in GSM-7's basic set, so a body's characters are its length.
 */
final class SmsUsageOracle {
    private SmsUsageOracle() {
    }

    static ObjectNode expected(StoredState stored, String tenant, LocalDate start, LocalDate end) {
        List<JsonNode> messages = stored.events(tenant, "sms", sms -> EventFields.inDays(sms, start, end));
        ObjectNode answer = AnswerComparison.MAPPER.createObjectNode().put("startDate", start.toString())
                .put("endDate", end.toString()).put("totalMessages", messages.size())
                .put("totalCharacters", Groups.sum(messages, SmsUsageOracle::characters))
                .put("totalSegments", Groups.sum(messages, SmsUsageOracle::segments))
                .put("totalInboundSegments", segments(messages, "inbound"))
                .put("totalOutboundSegments", segments(messages, "outbound"))
                .put("unpricedMessages", VoiceUsageOracle.unpriced(messages));
        Groups.putDirections(answer, "totalInbound", "totalOutbound", messages);
        ArrayNode rows = answer.putArray("rows");
        Groups.forEach(Groups.by(messages, sms -> Groups.key(EventFields.utcDay(sms).toString(),
                EventFields.text(sms, "phone_number"))), (key, ofRow) -> Groups.putDirections(rows.addObject()
                .put("date", key[0]).put("phoneNumber", key[1]), "inbound", "outbound", ofRow)
                .put("inboundSegments", segments(ofRow, "inbound"))
                .put("outboundSegments", segments(ofRow, "outbound"))
                .put("characters", Groups.sum(ofRow, SmsUsageOracle::characters)));
        return answer;
    }

    private static long segments(List<JsonNode> messages, String direction) {
        return Groups.sum(messages.stream().filter(sms -> direction.equals(EventFields.text(sms, "direction")))
                .toList(), SmsUsageOracle::segments);
    }

    private static long characters(JsonNode sms) {
        String body = EventFields.text(sms, "body");
        return body != null ? body.length() : EventFields.count(sms, "characters");
    }

    /** GSM-7: 160 in one segment, 153 each when split; UCS-2: 70, 67; an empty message is one segment. */
    static long segments(JsonNode sms) {
        long characters = characters(sms);
        boolean gsm = EventFields.has(sms, "body") || "gsm7".equals(EventFields.text(sms, "encoding"));
        long single = gsm ? 160 : 70;
        long split = gsm ? 153 : 67;
        return characters <= single ? 1 : (characters + split - 1) / split;
    }
}
