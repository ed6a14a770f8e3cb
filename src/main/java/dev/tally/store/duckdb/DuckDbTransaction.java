package dev.tally.store.duckdb;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Explicit transactions on a DuckDB connection.
 *
 * <p>With DuckDB's JDBC driver, {@code setAutoCommit(false)} begins no transaction until a
 * statement runs: an Appender used before that commits each 2,048-row chunk, and each table, on
 * its own, and {@code rollback()} undoes nothing. So every write here says {@code BEGIN
 * TRANSACTION} itself, on a connection left in auto-commit mode, and ends it with {@code COMMIT}
 * or {@code ROLLBACK}: the Appender then writes into that transaction.
 */
final class DuckDbTransaction {

    /** Work done inside one transaction. */
    interface Work<T> {
        T run() throws SQLException;
    }

    private DuckDbTransaction() {
    }

    /** Runs the work in one transaction: committed when it returns, rolled back when it throws. */
    static <T> T inTransaction(Connection connection, Work<T> work) throws SQLException {
        begin(connection);
        T result;
        try {
            result = work.run();
        } catch (SQLException | RuntimeException | Error failure) {
            rollbackQuietly(connection);
            throw failure;
        }
        commit(connection);
        return result;
    }

    static void begin(Connection connection) throws SQLException {
        if (!connection.getAutoCommit()) {
            connection.setAutoCommit(true);
        }
        execute(connection, "BEGIN TRANSACTION");
    }

    /** DuckDB rolls a transaction back itself when its commit fails; the rollback after is for certainty. */
    static void commit(Connection connection) throws SQLException {
        try {
            execute(connection, "COMMIT");
        } catch (SQLException failure) {
            rollbackQuietly(connection);
            throw failure;
        }
    }

    static void rollbackQuietly(Connection connection) {
        try {
            execute(connection, "ROLLBACK");
        } catch (SQLException ignored) {
            // no transaction left open: the failure being handled is what the caller needs to see
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
