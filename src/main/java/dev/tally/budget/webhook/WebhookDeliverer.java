package dev.tally.budget.webhook;

import dev.tally.store.MetadataStore;
import dev.tally.tenant.DeliveryState;
import dev.tally.tenant.Webhook;
import dev.tally.tenant.WebhookAttempt;
import dev.tally.tenant.WebhookDelivery;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the outbox's due deliveries, all of a pass at once, and records each attempt: a 2xx
 * answer ends a delivery; a timeout, a refused connection or any other answer schedules the
 * next attempt ({@link RetrySchedule}). An attempt is claimed in the store before it is sent, so
 * instances sharing a store send it once; a crash between sending and recording sends it again
 * after the restart, under the same {@code webhook-id}, which receivers drop as seen.
 */
final class WebhookDeliverer {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDeliverer.class);
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int BATCH = 50;
    private static final int MAX_ERROR = 300;

    private final MetadataStore metadata;
    private final LongSupplier clock;
    private final HttpClient http;
    private volatile Duration timeout = TIMEOUT;

    WebhookDeliverer(MetadataStore metadata, LongSupplier clock) {
        this.metadata = metadata;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Tests shorten the wait for an answer, so that a receiver that never answers costs them a second, not ten. */
    void timeout(Duration shorter) {
        this.timeout = shorter;
    }

    /** Sends what is due now; returns how many attempts were made. */
    int deliverDue() {
        List<WebhookDelivery> due = metadata.dueDeliveries(clock.getAsLong(), BATCH);
        if (due.isEmpty()) {
            return 0;
        }
        List<CompletableFuture<Void>> sending = new ArrayList<>();
        for (WebhookDelivery delivery : metadata.claimAttempts(due)) {
            Optional<Webhook> webhook = metadata.webhook(delivery.webhookId());
            if (webhook.isEmpty()) {
                long now = clock.getAsLong();
                metadata.updateDelivery(delivery.attempted(now, DeliveryState.FAILED, null), new WebhookAttempt(
                        delivery.id(), delivery.attempts() + 1, now, null, "the webhook was deleted", 0, null));
                continue;
            }
            sending.add(send(delivery, webhook.get()));
        }
        CompletableFuture.allOf(sending.toArray(CompletableFuture[]::new)).join();
        return sending.size();
    }

    private CompletableFuture<Void> send(WebhookDelivery delivery, Webhook webhook) {
        long attemptedMs = clock.getAsLong();
        long timestamp = Math.floorDiv(attemptedMs, 1000);
        HttpRequest request;
        try {
            request = request(delivery, webhook, timestamp);
        } catch (IllegalArgumentException unusable) {
            // a URL stored by an older release that checked less: this delivery fails, the others still go
            record(delivery, attemptedMs, 0, null, unusable);
            return CompletableFuture.completedFuture(null);
        }
        long started = System.nanoTime();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((response, failure) -> {
            long latencyMs = (System.nanoTime() - started) / 1_000_000;
            try {
                record(delivery, attemptedMs, latencyMs, response == null ? null : response.statusCode(), failure);
            } catch (RuntimeException storeDown) {
                // the attempt stays due: it is sent again, under the same webhook-id, once the store answers
                LOG.warn("webhook attempt of {} could not be recorded: {}", delivery.id(), storeDown.getMessage());
            }
            return null;
        });
    }

    private HttpRequest request(WebhookDelivery delivery, Webhook webhook, long timestamp) {
        return HttpRequest.newBuilder(URI.create(webhook.url())).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("webhook-id", delivery.id())
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", WebhookSignature.sign(webhook.secret(), delivery.id(), timestamp,
                        delivery.body()))
                .POST(HttpRequest.BodyPublishers.ofString(delivery.body(), StandardCharsets.UTF_8))
                .build();
    }

    private void record(WebhookDelivery delivery, long attemptedMs, long latencyMs, Integer status,
                        Throwable failure) {
        int number = delivery.attempts() + 1;
        if (status != null && status >= 200 && status < 300) {
            metadata.updateDelivery(delivery.attempted(attemptedMs, DeliveryState.SUCCEEDED, null),
                    new WebhookAttempt(delivery.id(), number, attemptedMs, status, null, latencyMs, null));
            return;
        }
        long first = delivery.firstAttemptMs() == null ? attemptedMs : delivery.firstAttemptMs();
        Long next = RetrySchedule.next(number, first, clock.getAsLong());
        String error = status != null ? "answered " + status : describe(failure);
        metadata.updateDelivery(delivery.attempted(attemptedMs, next == null ? DeliveryState.FAILED
                : DeliveryState.PENDING, next), new WebhookAttempt(delivery.id(), number, attemptedMs, status, error,
                latencyMs, next));
    }

    private String describe(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof HttpTimeoutException) {
            return "no answer within " + timeout.toMillis() + " ms";
        }
        String text = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        return text.length() > MAX_ERROR ? text.substring(0, MAX_ERROR) : text;
    }
}
