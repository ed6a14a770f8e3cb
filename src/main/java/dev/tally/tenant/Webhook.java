package dev.tally.tenant;

import java.util.Set;

/**
 * An endpoint told about budgets, signed with its own secret.
 *
 * @param tenantId null: every tenant's budgets
 * @param secret {@code whsec_} and the base64 of the key bytes; kept, because every delivery is signed with it
 */
public record Webhook(String id, String tenantId, String url, Set<WebhookEvent> events, String secret,
                      long createdMs) {

    public Webhook {
        events = Set.copyOf(events);
    }

    /** True when this webhook is told about this event of this tenant's budget. */
    public boolean hears(String budgetTenantId, WebhookEvent event) {
        return events.contains(event) && (tenantId == null || tenantId.equals(budgetTenantId));
    }
}
