package dev.tally.budget.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.budget.BudgetStatus;
import dev.tally.http.Json;
import dev.tally.tenant.Budget;
import dev.tally.tenant.WebhookNotification;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;

/**
 * The body of a notification, written once when it is decided: every attempt and every webhook
 * sends these same bytes, so a signature checked once holds for any retry.
 */
final class WebhookPayload {
    private WebhookPayload() {
    }

    static String body(WebhookNotification notification, BudgetStatus status) {
        Budget budget = status.budget();
        ObjectNode body = Json.MAPPER.createObjectNode().put("type", notification.type().wireName())
                .put("timestamp", Instant.ofEpochMilli(notification.decidedMs()).toString());
        ObjectNode data = body.putObject("data").put("budget_id", budget.id()).put("tenant_id", budget.tenantId())
                .put("name", budget.name()).put("measure", budget.measure().wireName());
        if (notification.threshold() == null) {
            data.putNull("threshold");
        } else {
            data.put("threshold", new BigDecimal(notification.threshold()));
        }
        data.put("spent", status.spent()).put("limit", budget.limit())
                .put("period_start", local(status.period().startMs(), budget.timezone()))
                .put("period_end", local(status.period().endMs(), budget.timezone()));
        try {
            return Json.MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** As the budget's own clock shows it, with its offset, as {@code GET /v1/budgets} does. */
    private static String local(long epochMs, ZoneId zone) {
        return Instant.ofEpochMilli(epochMs).atZone(zone).toOffsetDateTime().toString();
    }
}
