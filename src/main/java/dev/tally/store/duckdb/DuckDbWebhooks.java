package dev.tally.store.duckdb;

import dev.tally.tenant.Webhook;
import dev.tally.tenant.WebhookEvent;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Webhooks in DuckDB: one row each, its events as comma-separated wire names. */
final class DuckDbWebhooks {
    static final String CREATE = """
            CREATE TABLE IF NOT EXISTS webhooks (
              id VARCHAR NOT NULL, tenant_id VARCHAR, url VARCHAR NOT NULL, events VARCHAR NOT NULL,
              secret VARCHAR NOT NULL, created_ms BIGINT NOT NULL)""";
    private static final String COLUMNS = "SELECT id, tenant_id, url, events, secret, created_ms FROM webhooks";

    private final DuckDbDatabase database;

    DuckDbWebhooks(DuckDbDatabase database) {
        this.database = database;
    }

    void put(Webhook webhook) {
        database.metadata(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO webhooks"
                    + " (id, tenant_id, url, events, secret, created_ms) VALUES (?, ?, ?, ?, ?, ?)")) {
                statement.setString(1, webhook.id());
                statement.setString(2, webhook.tenantId());
                statement.setString(3, webhook.url());
                statement.setString(4, WebhookEvent.joined(webhook.events()));
                statement.setString(5, webhook.secret());
                statement.setLong(6, webhook.createdMs());
                return statement.executeUpdate();
            }
        });
    }

    Optional<Webhook> byId(String id) {
        return database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(COLUMNS + " WHERE id = ?")) {
                statement.setString(1, id);
                return read(statement).stream().findFirst();
            }
        });
    }

    List<Webhook> list() {
        return database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(COLUMNS + " ORDER BY created_ms, id")) {
                return read(statement);
            }
        });
    }

    boolean remove(String id) {
        return database.metadata(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("DELETE FROM webhooks WHERE id = ?")) {
                statement.setString(1, id);
                return statement.executeUpdate() > 0;
            }
        });
    }

    private static List<Webhook> read(PreparedStatement statement) throws SQLException {
        List<Webhook> webhooks = new ArrayList<>();
        try (ResultSet result = statement.executeQuery()) {
            while (result.next()) {
                webhooks.add(new Webhook(result.getString(1), result.getString(2), result.getString(3),
                        WebhookEvent.split(result.getString(4)), result.getString(5), result.getLong(6)));
            }
        }
        return webhooks;
    }
}
