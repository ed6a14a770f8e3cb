package dev.tally.budget.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tally.http.Json;
import dev.tally.tenant.Webhook;
import dev.tally.tenant.WebhookAttempt;
import dev.tally.tenant.WebhookDelivery;
import dev.tally.tenant.WebhookEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Webhooks and their deliveries as the API shows them; a secret only in the answer that created it. */
final class WebhookView {
    private WebhookView() {
    }

    static Map<String, Object> of(Webhook webhook) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", webhook.id());
        view.put("tenant_id", webhook.tenantId());
        view.put("url", webhook.url());
        view.put("events", webhook.events().stream().map(WebhookEvent::wireName).sorted().toList());
        view.put("created_at", Instant.ofEpochMilli(webhook.createdMs()).toString());
        return view;
    }

    static Map<String, Object> created(Webhook webhook) {
        Map<String, Object> view = of(webhook);
        view.put("secret", webhook.secret());
        return view;
    }

    static Map<String, Object> of(WebhookDelivery delivery, List<WebhookAttempt> attempts) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", delivery.id());
        view.put("webhook_id", delivery.webhookId());
        view.put("type", delivery.type().wireName());
        view.put("state", delivery.state().wireName());
        view.put("created_at", instant(delivery.createdMs()));
        view.put("next_attempt_at", instant(delivery.nextAttemptMs()));
        try {
            view.put("payload", Json.MAPPER.readTree(delivery.body()));
        } catch (JsonProcessingException corrupt) {
            throw new IllegalStateException("delivery " + delivery.id() + " holds no JSON body", corrupt);
        }
        view.put("attempts", attempts.stream().map(WebhookView::of).toList());
        return view;
    }

    private static Map<String, Object> of(WebhookAttempt attempt) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("number", attempt.number());
        view.put("attempted_at", instant(attempt.attemptedMs()));
        view.put("status_code", attempt.statusCode());
        view.put("error", attempt.error());
        view.put("latency_ms", attempt.latencyMs());
        view.put("next_attempt_at", instant(attempt.nextAttemptMs()));
        return view;
    }

    private static String instant(Long epochMs) {
        return epochMs == null ? null : Instant.ofEpochMilli(epochMs).toString();
    }
}
