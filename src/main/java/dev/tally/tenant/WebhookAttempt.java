package dev.tally.tenant;

/**
 * One try at sending a delivery.
 *
 * @param number 1 for the first attempt
 * @param statusCode the receiver's answer; null when none came (timeout, refused connection)
 * @param error why it failed without an answer, or which answer; null on success
 * @param nextAttemptMs when it is tried again; null when not
 */
public record WebhookAttempt(String deliveryId, int number, long attemptedMs, Integer statusCode, String error,
                             long latencyMs, Long nextAttemptMs) {
}
