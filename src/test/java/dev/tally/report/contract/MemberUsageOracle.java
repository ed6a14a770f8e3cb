package dev.tally.report.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The member usage report (spec 004, README "Member usage"): the chats the member created in the
 * range, and the messages and LLM requests of the range that name the member or belong to one of the
 * member's chats, whenever that chat was created and whichever batch announced it.
 */
final class MemberUsageOracle {
    private MemberUsageOracle() {
    }

    static ObjectNode expected(StoredState stored, ContractPrices prices, String tenant, String member,
                               LocalDate start, LocalDate end) {
        Map<String, String> chatOwners = stored.events(tenant, "chat")
                .collect(Collectors.toMap(EventFields::id, chat -> EventFields.text(chat, "member_id")));
        Predicate<JsonNode> attributed = event -> member.equals(EventFields.text(event, "member_id"))
                || member.equals(chatOwners.get(String.valueOf(EventFields.text(event, "chat_id"))));
        return AnswerComparison.MAPPER.createObjectNode().put("memberId", member).put("startDate", start.toString())
                .put("endDate", end.toString())
                .put("totalChats", stored.events(tenant, "chat", chat -> EventFields.inDays(chat, start, end)
                        && member.equals(EventFields.text(chat, "member_id"))).size())
                .put("totalMessages", stored.events(tenant, "message", message -> EventFields.inDays(message, start, end)
                        && attributed.test(message)).size())
                .put("totalCredits", Groups.sumDecimal(stored.events(tenant, "llm", llm -> EventFields.inDays(llm, start,
                        end) && attributed.test(llm)), llm -> prices.price(tenant, llm).credits()));
    }
}
