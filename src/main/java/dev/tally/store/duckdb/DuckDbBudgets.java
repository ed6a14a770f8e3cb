package dev.tally.store.duckdb;

import dev.tally.tenant.Budget;
import dev.tally.tenant.BudgetDocument;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Budgets in DuckDB: one row per budget, its definition a JSON text, replaced in one transaction. */
final class DuckDbBudgets {
    static final String CREATE = """
            CREATE TABLE IF NOT EXISTS budgets (
              id VARCHAR NOT NULL, tenant_id VARCHAR NOT NULL, definition VARCHAR NOT NULL,
              created_ms BIGINT NOT NULL, updated_ms BIGINT NOT NULL)""";
    private static final String COLUMNS = "SELECT id, tenant_id, definition, created_ms, updated_ms FROM budgets";

    private final DuckDbDatabase database;

    DuckDbBudgets(DuckDbDatabase database) {
        this.database = database;
    }

    void put(Budget budget) {
        database.metadata(connection -> DuckDbTransaction.inTransaction(connection, () -> {
            delete(connection, budget.id());
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO budgets"
                    + " (id, tenant_id, definition, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?)")) {
                statement.setString(1, budget.id());
                statement.setString(2, budget.tenantId());
                statement.setString(3, BudgetDocument.of(budget));
                statement.setLong(4, budget.createdMs());
                statement.setLong(5, budget.updatedMs());
                statement.executeUpdate();
            }
            return null;
        }));
    }

    Optional<Budget> byId(String id) {
        return database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(COLUMNS + " WHERE id = ?")) {
                statement.setString(1, id);
                return read(statement).stream().findFirst();
            }
        });
    }

    List<Budget> list(String tenantId) {
        return database.read(connection -> {
            String order = " ORDER BY tenant_id, created_ms, id";
            try (PreparedStatement statement = connection.prepareStatement(
                    tenantId == null ? COLUMNS + order : COLUMNS + " WHERE tenant_id = ?" + order)) {
                if (tenantId != null) {
                    statement.setString(1, tenantId);
                }
                return read(statement);
            }
        });
    }

    boolean remove(String id) {
        return database.metadata(connection -> delete(connection, id) > 0);
    }

    private static List<Budget> read(PreparedStatement statement) throws SQLException {
        List<Budget> budgets = new ArrayList<>();
        try (ResultSet result = statement.executeQuery()) {
            while (result.next()) {
                budgets.add(BudgetDocument.read(result.getString(1), result.getString(2), result.getString(3),
                        result.getLong(4), result.getLong(5)));
            }
        }
        return budgets;
    }

    private static int delete(Connection connection, String id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("DELETE FROM budgets WHERE id = ?")) {
            statement.setString(1, id);
            return statement.executeUpdate();
        }
    }
}
