package dev.tally.store.duckdb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Removes a tenant from the embedded store in one transaction: every table with a
 * {@code tenant_id} column, found in the catalog so that a table added later is not forgotten,
 * then the tenant's own row.
 */
final class DuckDbTenantDeletion {
    private DuckDbTenantDeletion() {
    }

    /** A write that touched the same rows meanwhile (ingest, rollup compaction) makes DuckDB refuse the commit. */
    private static final int ATTEMPTS = 10;

    static Map<String, Long> delete(DuckDbDatabase database, String tenantId) {
        for (int attempt = 1; ; attempt++) {
            try {
                return deleteOnce(database, tenantId);
            } catch (StoreException conflict) {
                if (attempt == ATTEMPTS || !String.valueOf(conflict.getMessage()).contains("Conflict")) {
                    throw conflict;
                }
                try {
                    Thread.sleep(20L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw conflict;
                }
            }
        }
    }

    private static Map<String, Long> deleteOnce(DuckDbDatabase database, String tenantId) {
        return database.metadata(connection -> DuckDbTransaction.inTransaction(connection, () -> {
            Map<String, Long> removed = new TreeMap<>();
            for (String table : tablesWithTenants(connection)) {
                removed.put(table, (long) delete(connection, "DELETE FROM \"" + table + "\" WHERE tenant_id = ?", tenantId));
            }
            removed.put("tenants", (long) delete(connection, "DELETE FROM tenants WHERE id = ?", tenantId));
            return removed;
        }));
    }

    private static List<String> tablesWithTenants(Connection connection) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT c.table_name FROM"
                + " information_schema.columns c JOIN information_schema.tables t ON t.table_name = c.table_name"
                + " AND t.table_schema = c.table_schema WHERE c.column_name = 'tenant_id' AND c.table_schema = 'main'"
                + " AND t.table_type = 'BASE TABLE' ORDER BY c.table_name");
             ResultSet result = statement.executeQuery()) {
            while (result.next()) {
                tables.add(result.getString(1));
            }
        }
        return tables;
    }

    private static int delete(Connection connection, String statementText, String tenantId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(statementText)) {
            statement.setString(1, tenantId);
            return statement.executeUpdate();
        }
    }
}
