package dev.tally.store.duckdb;

import dev.tally.tenant.DeliveryState;
import dev.tally.tenant.WebhookAttempt;
import dev.tally.tenant.WebhookDelivery;
import dev.tally.tenant.WebhookEvent;
import dev.tally.tenant.WebhookNotification;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The webhook outbox in DuckDB: a notification's key is the primary key of its row, so it is
 * inserted once whatever happens, and its deliveries are inserted in the same transaction, before
 * any attempt. One process owns the file, so every attempt it claims is its own.
 */
final class DuckDbWebhookOutbox {
    static final List<String> CREATE = List.of("""
            CREATE TABLE IF NOT EXISTS webhook_notifications (
              notification_key VARCHAR PRIMARY KEY, budget_id VARCHAR NOT NULL, tenant_id VARCHAR NOT NULL,
              period_start_ms BIGINT NOT NULL, type VARCHAR NOT NULL, threshold VARCHAR, decided_ms BIGINT NOT NULL)""",
            """
            CREATE TABLE IF NOT EXISTS webhook_deliveries (
              id VARCHAR NOT NULL, webhook_id VARCHAR NOT NULL, notification_key VARCHAR NOT NULL,
              type VARCHAR NOT NULL, body VARCHAR NOT NULL, created_ms BIGINT NOT NULL, state VARCHAR NOT NULL,
              attempts INTEGER NOT NULL, first_attempt_ms BIGINT, next_attempt_ms BIGINT)""",
            """
            CREATE TABLE IF NOT EXISTS webhook_attempts (
              delivery_id VARCHAR NOT NULL, number INTEGER NOT NULL, attempted_ms BIGINT NOT NULL,
              status_code INTEGER, error VARCHAR, latency_ms BIGINT NOT NULL, next_attempt_ms BIGINT)""");
    private static final String NOTIFICATIONS = "SELECT notification_key, budget_id, tenant_id, period_start_ms, type,"
            + " threshold, decided_ms FROM webhook_notifications";
    private static final String DELIVERIES = "SELECT id, webhook_id, notification_key, type, body, created_ms, state,"
            + " attempts, first_attempt_ms, next_attempt_ms FROM webhook_deliveries";

    private final DuckDbDatabase database;

    DuckDbWebhookOutbox(DuckDbDatabase database) {
        this.database = database;
    }

    boolean record(WebhookNotification notification, List<WebhookDelivery> deliveries) {
        return database.metadata(connection -> DuckDbTransaction.inTransaction(connection, () -> {
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO webhook_notifications"
                    + " (notification_key, budget_id, tenant_id, period_start_ms, type, threshold, decided_ms)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                statement.setString(1, notification.key());
                statement.setString(2, notification.budgetId());
                statement.setString(3, notification.tenantId());
                statement.setLong(4, notification.periodStartMs());
                statement.setString(5, notification.type().wireName());
                statement.setString(6, notification.threshold());
                statement.setLong(7, notification.decidedMs());
                if (statement.executeUpdate() == 0) {
                    return false;
                }
            }
            for (WebhookDelivery delivery : deliveries) {
                insert(connection, delivery);
            }
            return true;
        }));
    }

    List<WebhookNotification> notifications(String budgetId, long fromPeriodStartMs) {
        return database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(NOTIFICATIONS
                    + " WHERE budget_id = ? AND period_start_ms >= ? ORDER BY period_start_ms, decided_ms")) {
                statement.setString(1, budgetId);
                statement.setLong(2, fromPeriodStartMs);
                List<WebhookNotification> notifications = new ArrayList<>();
                try (ResultSet result = statement.executeQuery()) {
                    while (result.next()) {
                        notifications.add(new WebhookNotification(result.getString(1), result.getString(2),
                                result.getString(3), result.getLong(4),
                                WebhookEvent.fromWire(result.getString(5)).orElseThrow(), result.getString(6),
                                result.getLong(7)));
                    }
                }
                return notifications;
            }
        });
    }

    List<WebhookDelivery> due(long nowMs, int limit) {
        return deliveries(DELIVERIES + " WHERE state = 'pending' AND next_attempt_ms <= ?"
                + " ORDER BY next_attempt_ms, id LIMIT " + limit, nowMs);
    }

    List<WebhookDelivery> ofWebhook(String webhookId, int limit) {
        return deliveries(DELIVERIES + " WHERE webhook_id = ? ORDER BY created_ms DESC, id LIMIT " + limit, webhookId);
    }

    Optional<WebhookDelivery> byId(String id) {
        return deliveries(DELIVERIES + " WHERE id = ?", id).stream().findFirst();
    }

    void update(WebhookDelivery delivery, WebhookAttempt attempt) {
        database.metadata(connection -> DuckDbTransaction.inTransaction(connection, () -> {
            try (PreparedStatement statement = connection.prepareStatement("UPDATE webhook_deliveries SET state = ?,"
                    + " attempts = ?, first_attempt_ms = ?, next_attempt_ms = ? WHERE id = ?")) {
                statement.setString(1, delivery.state().wireName());
                statement.setInt(2, delivery.attempts());
                setLong(statement, 3, delivery.firstAttemptMs());
                setLong(statement, 4, delivery.nextAttemptMs());
                statement.setString(5, delivery.id());
                statement.executeUpdate();
            }
            if (attempt != null) {
                try (PreparedStatement statement = connection.prepareStatement("INSERT INTO webhook_attempts"
                        + " (delivery_id, number, attempted_ms, status_code, error, latency_ms, next_attempt_ms)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                    statement.setString(1, attempt.deliveryId());
                    statement.setInt(2, attempt.number());
                    statement.setLong(3, attempt.attemptedMs());
                    if (attempt.statusCode() == null) {
                        statement.setNull(4, Types.INTEGER);
                    } else {
                        statement.setInt(4, attempt.statusCode());
                    }
                    statement.setString(5, attempt.error());
                    statement.setLong(6, attempt.latencyMs());
                    setLong(statement, 7, attempt.nextAttemptMs());
                    statement.executeUpdate();
                }
            }
            return null;
        }));
    }

    List<WebhookAttempt> attempts(String deliveryId) {
        return database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT delivery_id, number, attempted_ms,"
                    + " status_code, error, latency_ms, next_attempt_ms FROM webhook_attempts WHERE delivery_id = ?"
                    + " ORDER BY number")) {
                statement.setString(1, deliveryId);
                List<WebhookAttempt> attempts = new ArrayList<>();
                try (ResultSet result = statement.executeQuery()) {
                    while (result.next()) {
                        attempts.add(new WebhookAttempt(result.getString(1), result.getInt(2), result.getLong(3),
                                (Integer) result.getObject(4, Integer.class), result.getString(5), result.getLong(6),
                                (Long) result.getObject(7, Long.class)));
                    }
                }
                return attempts;
            }
        });
    }

    private static void insert(Connection connection, WebhookDelivery delivery) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO webhook_deliveries"
                + " (id, webhook_id, notification_key, type, body, created_ms, state, attempts, first_attempt_ms,"
                + " next_attempt_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            statement.setString(1, delivery.id());
            statement.setString(2, delivery.webhookId());
            statement.setString(3, delivery.notificationKey());
            statement.setString(4, delivery.type().wireName());
            statement.setString(5, delivery.body());
            statement.setLong(6, delivery.createdMs());
            statement.setString(7, delivery.state().wireName());
            statement.setInt(8, delivery.attempts());
            setLong(statement, 9, delivery.firstAttemptMs());
            setLong(statement, 10, delivery.nextAttemptMs());
            statement.executeUpdate();
        }
    }

    private List<WebhookDelivery> deliveries(String sql, Object parameter) {
        return database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setObject(1, parameter);
                List<WebhookDelivery> deliveries = new ArrayList<>();
                try (ResultSet result = statement.executeQuery()) {
                    while (result.next()) {
                        deliveries.add(new WebhookDelivery(result.getString(1), result.getString(2),
                                result.getString(3), WebhookEvent.fromWire(result.getString(4)).orElseThrow(),
                                result.getString(5), result.getLong(6),
                                DeliveryState.fromWire(result.getString(7)).orElseThrow(), result.getInt(8),
                                result.getObject(9, Long.class), result.getObject(10, Long.class)));
                    }
                }
                return deliveries;
            }
        });
    }

    private static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }
}
