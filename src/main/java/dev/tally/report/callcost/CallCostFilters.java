package dev.tally.report.callcost;

import dev.tally.error.Rejection;
import dev.tally.report.AgentParameter;
import dev.tally.report.DateRange;
import dev.tally.store.callcost.CallCostOrder;
import dev.tally.store.callcost.CallCostQuery;
import io.javalin.http.Context;
import java.time.LocalDate;
import java.util.Locale;

/**
 * The call-costs report's parameters, checked: the range as the spend overview takes it (inclusive
 * UTC dates, default the 30 days before today through today), an optional agent, how many calls
 * to list and in which order.
 */
record CallCostFilters(DateRange range, String agentId, int limit, CallCostOrder order) {
    static final int DEFAULT_DAYS_BACK = 30;
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1_000;

    static CallCostFilters parse(Context context, LocalDate today) {
        DateRange range = DateRange.parse("from", context.queryParam("from"), today.minusDays(DEFAULT_DAYS_BACK),
                "to", context.queryParam("to"), today);
        return new CallCostFilters(range, AgentParameter.parse(context.queryParam("agent_id")),
                limit(context.queryParam("limit")), order(context.queryParam("order")));
    }

    CallCostQuery query(String tenantId) {
        return new CallCostQuery(tenantId, range.startMs(), range.endMsExclusive(), agentId, limit, order);
    }

    private static int limit(String text) {
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        if (!text.matches("[0-9]{1,4}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > MAX_LIMIT) {
            throw Rejection.invalid("limit", "must be a whole number from 1 to " + MAX_LIMIT + ", not \""
                    + shortened(text) + "\"");
        }
        return Integer.parseInt(text);
    }

    private static CallCostOrder order(String text) {
        if (text == null) {
            return CallCostOrder.COST_DESC;
        }
        for (CallCostOrder order : CallCostOrder.values()) {
            if (wireName(order).equals(text)) {
                return order;
            }
        }
        throw Rejection.invalid("order", "must be one of cost_desc, cost_asc, started_desc, not \"" + shortened(text)
                + "\"");
    }

    static String wireName(CallCostOrder order) {
        return order.name().toLowerCase(Locale.ROOT);
    }

    /** A rejected value is echoed, but never a megabyte of it. */
    private static String shortened(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
