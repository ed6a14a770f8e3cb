package dev.tally.store.duckdb;

import dev.tally.tenant.TenantLimits;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/** Tenants' own limits in DuckDB: one row per tenant that has some, replaced in one transaction. */
final class DuckDbTenantLimits {
    static final String CREATE = """
            CREATE TABLE IF NOT EXISTS tenant_limits (
              tenant_id VARCHAR NOT NULL, ingest_per_second INTEGER NOT NULL, reports_per_second INTEGER NOT NULL,
              ingest_in_flight INTEGER NOT NULL, reports_in_flight INTEGER NOT NULL, key_per_second INTEGER NOT NULL)""";

    private final DuckDbDatabase database;

    DuckDbTenantLimits(DuckDbDatabase database) {
        this.database = database;
    }

    Optional<TenantLimits> of(String tenantId) {
        return database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT ingest_per_second,"
                    + " reports_per_second, ingest_in_flight, reports_in_flight, key_per_second FROM tenant_limits"
                    + " WHERE tenant_id = ?")) {
                statement.setString(1, tenantId);
                try (ResultSet result = statement.executeQuery()) {
                    return result.next() ? Optional.of(new TenantLimits(result.getInt(1), result.getInt(2),
                            result.getInt(3), result.getInt(4), result.getInt(5))) : Optional.<TenantLimits>empty();
                }
            }
        });
    }

    void put(String tenantId, TenantLimits limits) {
        database.metadata(connection -> DuckDbTransaction.inTransaction(connection, () -> {
            delete(connection, tenantId);
            try (PreparedStatement statement = connection.prepareStatement(
                    "INSERT INTO tenant_limits VALUES (?, ?, ?, ?, ?, ?)")) {
                statement.setString(1, tenantId);
                statement.setInt(2, limits.ingestPerSecond());
                statement.setInt(3, limits.reportsPerSecond());
                statement.setInt(4, limits.ingestInFlight());
                statement.setInt(5, limits.reportsInFlight());
                statement.setInt(6, limits.keyPerSecond());
                statement.executeUpdate();
            }
            return null;
        }));
    }

    boolean remove(String tenantId) {
        return database.metadata(connection -> delete(connection, tenantId) > 0);
    }

    private static int delete(java.sql.Connection connection, String tenantId) throws java.sql.SQLException {
        try (PreparedStatement statement = connection.prepareStatement("DELETE FROM tenant_limits WHERE tenant_id = ?")) {
            statement.setString(1, tenantId);
            return statement.executeUpdate();
        }
    }
}
