package dev.tally.tenant;

/**
 * A notification on its way to one webhook: its body is fixed when it is decided, so every attempt
 * sends the same bytes under the same id.
 *
 * @param id the {@code webhook-id} header, the same for every attempt
 * @param attempts attempts made so far
 * @param firstAttemptMs null before the first attempt; retries stop a day after it
 * @param nextAttemptMs when it is due; null once it succeeded or was given up
 */
public record WebhookDelivery(String id, String webhookId, String notificationKey, WebhookEvent type, String body,
                              long createdMs, DeliveryState state, int attempts, Long firstAttemptMs,
                              Long nextAttemptMs) {

    /** A new delivery, due at once. */
    public static WebhookDelivery due(String id, String webhookId, WebhookNotification notification, String body) {
        return new WebhookDelivery(id, webhookId, notification.key(), notification.type(), body,
                notification.decidedMs(), DeliveryState.PENDING, 0, null, notification.decidedMs());
    }

    /** After an attempt at {@code attemptedMs}: in this state, next due then (null: no more). */
    public WebhookDelivery attempted(long attemptedMs, DeliveryState after, Long nextMs) {
        return new WebhookDelivery(id, webhookId, notificationKey, type, body, createdMs, after, attempts + 1,
                firstAttemptMs == null ? attemptedMs : firstAttemptMs, nextMs);
    }

    /**
     * Due again now, whatever it stood at, because the operator asked: its retries count a new day
     * from now, so a delivery given up after a day's outage is tried for another.
     */
    public WebhookDelivery dueAgain(long nowMs) {
        return new WebhookDelivery(id, webhookId, notificationKey, type, body, createdMs, DeliveryState.PENDING,
                attempts, nowMs, nowMs);
    }
}
