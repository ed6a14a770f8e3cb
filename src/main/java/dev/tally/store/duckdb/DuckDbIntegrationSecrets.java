package dev.tally.store.duckdb;

import dev.tally.tenant.IntegrationProvider;
import dev.tally.tenant.IntegrationSecret;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Tenants' webhook secrets in DuckDB: one row per (tenant, provider), replaced in one transaction. */
final class DuckDbIntegrationSecrets {
    private final DuckDbDatabase database;

    DuckDbIntegrationSecrets(DuckDbDatabase database) {
        this.database = database;
    }

    void put(IntegrationSecret secret) {
        database.metadata(connection -> DuckDbTransaction.inTransaction(connection, () -> {
            delete(connection, secret.tenantId(), secret.provider());
            try (PreparedStatement statement = connection.prepareStatement(
                    "INSERT INTO integration_secrets (tenant_id, provider, secret, set_ms) VALUES (?, ?, ?, ?)")) {
                statement.setString(1, secret.tenantId());
                statement.setString(2, secret.provider().wireName());
                statement.setString(3, secret.secret());
                statement.setLong(4, secret.setMs());
                statement.executeUpdate();
            }
            return null;
        }));
    }

    List<IntegrationSecret> list(String tenantId) {
        return database.read(connection -> {
            List<IntegrationSecret> secrets = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT provider, secret, set_ms FROM integration_secrets WHERE tenant_id = ? ORDER BY provider")) {
                statement.setString(1, tenantId);
                try (ResultSet result = statement.executeQuery()) {
                    while (result.next()) {
                        // a provider this release does not know (written by a newer one) is left out
                        Optional<IntegrationProvider> provider = IntegrationProvider.fromWire(result.getString(1));
                        if (provider.isPresent()) {
                            secrets.add(new IntegrationSecret(tenantId, provider.get(), result.getString(2),
                                    result.getLong(3)));
                        }
                    }
                }
            }
            return secrets;
        });
    }

    boolean remove(String tenantId, IntegrationProvider provider) {
        return database.metadata(connection -> delete(connection, tenantId, provider) > 0);
    }

    private static int delete(Connection connection, String tenantId, IntegrationProvider provider)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "DELETE FROM integration_secrets WHERE tenant_id = ? AND provider = ?")) {
            statement.setString(1, tenantId);
            statement.setString(2, provider.wireName());
            return statement.executeUpdate();
        }
    }
}
