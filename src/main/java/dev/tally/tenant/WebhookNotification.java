package dev.tally.tenant;

/**
 * One thing a budget says in one period, decided once: a threshold reached, or the period reset.
 *
 * @param key what makes it one: the budget, the period's start and the threshold (or {@code reset})
 * @param threshold the share of the limit as decimal text; null for a reset
 */
public record WebhookNotification(String key, String budgetId, String tenantId, long periodStartMs,
                                  WebhookEvent type, String threshold, long decidedMs) {

    public static String key(String budgetId, long periodStartMs, String threshold) {
        return budgetId + "/" + periodStartMs + "/" + (threshold == null ? "reset" : threshold);
    }
}
