package dev.tally.report.spend;

import dev.tally.error.Rejection;
import dev.tally.event.CallStatus;
import dev.tally.report.AgentParameter;
import dev.tally.report.DateRange;
import io.javalin.http.Context;
import java.time.LocalDate;

/**
 * The spend overview's query parameters, checked: an inclusive UTC date range (default the 30 days
 * before today through today), and optionally one agent and one call status.
 *
 * @param agentId null for all agents
 * @param status null for all statuses
 */
record SpendFilters(DateRange range, String agentId, CallStatus status) {
    static final int DEFAULT_DAYS_BACK = 30;

    static SpendFilters parse(Context context, LocalDate today) {
        DateRange range = DateRange.parse("from", context.queryParam("from"), today.minusDays(DEFAULT_DAYS_BACK),
                "to", context.queryParam("to"), today);
        return new SpendFilters(range, AgentParameter.parse(context.queryParam("agent_id")),
                status(context.queryParam("status")));
    }

    private static CallStatus status(String text) {
        if (text == null) {
            return null;
        }
        for (CallStatus status : CallStatus.values()) {
            if (status.wireName().equals(text)) {
                return status;
            }
        }
        throw Rejection.invalid("status", "must be one of completed, failed, in_progress, not \"" + text + "\"");
    }
}
