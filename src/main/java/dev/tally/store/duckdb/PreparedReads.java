package dev.tally.store.duckdb;

import dev.tally.store.sql.Row;
import dev.tally.store.sql.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One reader connection's report queries, each prepared once and run again with new values. A
 * report's text changes only with its shape (its values are parameters), and DuckDB spends about
 * as long parsing, binding and planning a report's query as running it on a tenant's ready rows:
 * measured at 10M events, 0.4 to 2 ms of a call-cost query's 1 to 4. Not thread-safe: it belongs
 * to the pooled connection, which one thread holds at a time.
 */
final class PreparedReads implements AutoCloseable {
    /** Distinct query shapes kept per connection; the reports have a few dozen. */
    static final int CAPACITY = 128;

    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() <= CAPACITY) {
                return false;
            }
            closeQuietly(eldest.getValue());
            return true;
        }
    };

    PreparedReads(Connection connection) {
        this.connection = connection;
    }

    Connection connection() {
        return connection;
    }

    /**
     * The query's rows. A statement kept across a schema change is bound again by DuckDB itself
     * (PreparedReadsTest holds it to that); one that fails is dropped, so a query that failed once is
     * prepared afresh next time.
     */
    List<Row> run(Sql sql) throws SQLException {
        PreparedStatement statement = statements.remove(sql.text());
        if (statement == null) {
            statement = connection.prepareStatement(sql.text());
        }
        try {
            List<Row> rows = execute(statement, sql);
            statements.put(sql.text(), statement);
            return rows;
        } catch (SQLException | RuntimeException failure) {
            closeQuietly(statement);
            throw failure;
        }
    }

    int size() {
        return statements.size();
    }

    private static List<Row> execute(PreparedStatement statement, Sql sql) throws SQLException {
        statement.clearParameters();
        for (int index = 0; index < sql.parameters().size(); index++) {
            statement.setObject(index + 1, sql.parameters().get(index));
        }
        try (java.sql.ResultSet result = statement.executeQuery()) {
            return DuckDbEventStore.rows(result);
        }
    }

    private static void closeQuietly(PreparedStatement statement) {
        try {
            statement.close();
        } catch (SQLException ignored) {
            // dropped from the cache either way
        }
    }

    @Override
    public void close() {
        statements.values().forEach(PreparedReads::closeQuietly);
        statements.clear();
    }
}
