package dev.tally.store.clickhouse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.SqlBuilder;
import dev.tally.tenant.DeliveryState;
import dev.tally.tenant.WebhookAttempt;
import dev.tally.tenant.WebhookDelivery;
import dev.tally.tenant.WebhookEvent;
import dev.tally.tenant.WebhookNotification;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The webhook outbox in ClickHouse, shared by every instance. A notification is decided by the
 * instance whose claim on its key is the earliest ({@link ClickHouseClaims}); it writes the
 * deliveries first and the notification last, so a notification on record always has its
 * deliveries, and a winner that dies in between leaves the key to be decided again a minute later,
 * writing only the deliveries still missing. A delivery's state is a ReplacingMergeTree row of a
 * higher version; each attempt is claimed by its number, so two instances never both send it.
 */
final class ClickHouseWebhookOutbox {
    static final String NOTIFICATIONS = "webhook_notifications";
    static final String NOTIFICATION_COLUMNS = "notification_key String, budget_id String, tenant_id String,"
            + " period_start_ms Int64, type String, threshold Nullable(String), decided_ms Int64";
    static final String DELIVERIES = "webhook_deliveries";
    static final String DELIVERY_COLUMNS = "id String, webhook_id String, notification_key String, type String,"
            + " body String, created_ms Int64, state String, attempts Int32, first_attempt_ms Nullable(Int64),"
            + " next_attempt_ms Nullable(Int64), version UInt64";
    static final String ATTEMPTS = "webhook_attempts";
    static final String ATTEMPT_COLUMNS = "delivery_id String, number Int32, attempted_ms Int64,"
            + " status_code Nullable(Int32), error Nullable(String), latency_ms Int64, next_attempt_ms Nullable(Int64)";
    static final String CLAIMS = "webhook_claims";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SELECT_DELIVERIES = "SELECT id, webhook_id, notification_key, type, body, created_ms,"
            + " state, attempts, first_attempt_ms, next_attempt_ms, version FROM " + DELIVERIES + " FINAL WHERE ";

    private final ClickHouseHttp http;
    private final ClickHouseClaims claims;

    ClickHouseWebhookOutbox(ClickHouseHttp http) {
        this.http = http;
        this.claims = new ClickHouseClaims(http, CLAIMS);
    }

    boolean record(WebhookNotification notification, List<WebhookDelivery> deliveries) {
        if (decided(notification.key())) {
            return false;
        }
        String claim = "notification/" + notification.key();
        if (!claims.claim(List.of(claim)).contains(claim) || decided(notification.key())) {
            return false;
        }
        Set<String> written = new HashSet<>();
        for (Row row : query(new SqlBuilder().append(SELECT_DELIVERIES + "notification_key = ")
                .value(notification.key()))) {
            written.add(row.string("id"));
        }
        StringBuilder rows = new StringBuilder();
        for (WebhookDelivery delivery : deliveries) {
            if (!written.contains(delivery.id())) {
                rows.append(json(delivery(delivery, Versions.after(0)))).append('\n');
            }
        }
        if (!rows.isEmpty()) {
            http.insert(DELIVERIES, rows.toString());
        }
        http.insert(NOTIFICATIONS, json(MAPPER.createObjectNode().put("notification_key", notification.key())
                .put("budget_id", notification.budgetId()).put("tenant_id", notification.tenantId())
                .put("period_start_ms", notification.periodStartMs()).put("type", notification.type().wireName())
                .put("threshold", notification.threshold()).put("decided_ms", notification.decidedMs())));
        return true;
    }

    private boolean decided(String key) {
        return !query(new SqlBuilder().append("SELECT notification_key FROM " + NOTIFICATIONS
                + " WHERE notification_key = ").value(key).append(" LIMIT 1")).isEmpty();
    }

    List<WebhookNotification> notifications(String budgetId, long fromPeriodStartMs) {
        List<WebhookNotification> notifications = new ArrayList<>();
        // LIMIT 1 BY: a key written twice (a winner that died and was decided again) is one notification
        for (Row row : query(new SqlBuilder().append("SELECT notification_key, budget_id, tenant_id, period_start_ms,"
                + " type, threshold, decided_ms FROM " + NOTIFICATIONS + " WHERE budget_id = ").value(budgetId)
                .append(" AND period_start_ms >= ").value(fromPeriodStartMs)
                .append(" ORDER BY period_start_ms, decided_ms, notification_key LIMIT 1 BY notification_key"))) {
            notifications.add(new WebhookNotification(row.string("notification_key"), row.string("budget_id"),
                    row.string("tenant_id"), row.longValue("period_start_ms"),
                    WebhookEvent.fromWire(row.string("type")).orElseThrow(), row.string("threshold"),
                    row.longValue("decided_ms")));
        }
        return notifications;
    }

    List<WebhookDelivery> due(long nowMs, int limit) {
        return deliveries(new SqlBuilder().append(SELECT_DELIVERIES + "state = 'pending' AND next_attempt_ms <= ")
                .value(nowMs).append(" ORDER BY next_attempt_ms, id LIMIT " + limit));
    }

    List<WebhookDelivery> ofWebhook(String webhookId, int limit) {
        return deliveries(new SqlBuilder().append(SELECT_DELIVERIES + "webhook_id = ").value(webhookId)
                .append(" ORDER BY created_ms DESC, id LIMIT " + limit));
    }

    Optional<WebhookDelivery> byId(String id) {
        return deliveries(new SqlBuilder().append(SELECT_DELIVERIES + "id = ").value(id)).stream().findFirst();
    }

    List<WebhookDelivery> claim(List<WebhookDelivery> due) {
        List<String> ids = due.stream().map(ClickHouseWebhookOutbox::attemptClaim).toList();
        Set<String> won = claims.claim(ids);
        List<WebhookDelivery> claimed = new ArrayList<>();
        for (WebhookDelivery delivery : due) {
            // claimed, and still as it was read: another instance may have sent it since
            if (won.contains(attemptClaim(delivery)) && byId(delivery.id()).filter(
                    stored -> stored.state() == DeliveryState.PENDING && stored.attempts() == delivery.attempts())
                    .isPresent()) {
                claimed.add(delivery);
            }
        }
        return claimed;
    }

    private static String attemptClaim(WebhookDelivery delivery) {
        return "attempt/" + delivery.id() + "/" + (delivery.attempts() + 1);
    }

    /** The state first: what decides whether it is sent again; an attempt on record then always has its state. */
    void update(WebhookDelivery delivery, WebhookAttempt attempt) {
        long replaced = query(new SqlBuilder().append("SELECT version FROM " + DELIVERIES + " FINAL WHERE id = ")
                .value(delivery.id())).stream().map(row -> row.longValue("version")).findFirst().orElse(0L);
        http.insert(DELIVERIES, json(delivery(delivery, Versions.after(replaced))));
        if (attempt != null) {
            http.insert(ATTEMPTS, json(MAPPER.createObjectNode().put("delivery_id", attempt.deliveryId())
                    .put("number", attempt.number()).put("attempted_ms", attempt.attemptedMs())
                    .put("status_code", attempt.statusCode()).put("error", attempt.error())
                    .put("latency_ms", attempt.latencyMs()).put("next_attempt_ms", attempt.nextAttemptMs())));
        }
    }

    List<WebhookAttempt> attempts(String deliveryId) {
        List<WebhookAttempt> attempts = new ArrayList<>();
        for (Row row : query(new SqlBuilder().append("SELECT delivery_id, number, attempted_ms, status_code, error,"
                + " latency_ms, next_attempt_ms FROM " + ATTEMPTS + " WHERE delivery_id = ").value(deliveryId)
                .append(" ORDER BY number"))) {
            attempts.add(new WebhookAttempt(row.string("delivery_id"), (int) row.longValue("number"),
                    row.longValue("attempted_ms"), row.get("status_code") == null ? null
                    : (int) row.longValue("status_code"), row.string("error"), row.longValue("latency_ms"),
                    nullableLong(row, "next_attempt_ms")));
        }
        return attempts;
    }

    private List<WebhookDelivery> deliveries(SqlBuilder sql) {
        return query(sql).stream().map(row -> new WebhookDelivery(row.string("id"), row.string("webhook_id"),
                row.string("notification_key"), WebhookEvent.fromWire(row.string("type")).orElseThrow(),
                row.string("body"), row.longValue("created_ms"),
                DeliveryState.fromWire(row.string("state")).orElseThrow(), (int) row.longValue("attempts"),
                nullableLong(row, "first_attempt_ms"), nullableLong(row, "next_attempt_ms"))).toList();
    }

    private static Long nullableLong(Row row, String column) {
        return row.get(column) == null ? null : row.longValue(column);
    }

    private static ObjectNode delivery(WebhookDelivery delivery, long version) {
        return MAPPER.createObjectNode().put("id", delivery.id()).put("webhook_id", delivery.webhookId())
                .put("notification_key", delivery.notificationKey()).put("type", delivery.type().wireName())
                .put("body", delivery.body()).put("created_ms", delivery.createdMs())
                .put("state", delivery.state().wireName()).put("attempts", delivery.attempts())
                .put("first_attempt_ms", delivery.firstAttemptMs()).put("next_attempt_ms", delivery.nextAttemptMs())
                .put("version", version);
    }

    private List<Row> query(SqlBuilder sql) {
        return http.query(ClickHouseLiterals.bind(sql.build()));
    }

    private static String json(ObjectNode row) {
        try {
            return MAPPER.writeValueAsString(row);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
