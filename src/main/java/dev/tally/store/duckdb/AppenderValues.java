package dev.tally.store.duckdb;

import java.sql.SQLException;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Appends values whose column type follows from their Java type (text, INTEGER for an
 * {@link Integer}, BIGINT for any other number, NULL): the rows of the rollup and per-call tables,
 * and the benchmark's reference appends. The event writer keeps its own typed appends, column by column.
 */
public final class AppenderValues {
    private AppenderValues() {
    }

    public static void append(DuckDBAppender appender, Object value) throws SQLException {
        if (value == null) {
            appender.appendNull();
        } else if (value instanceof String text) {
            appender.append(text);
        } else if (value instanceof Integer number) {
            appender.append(number.intValue());
        } else {
            appender.append(((Number) value).longValue());
        }
    }

    /** Appends the rows to the table through the connection's open transaction; nothing for no rows. */
    static void appendRows(DuckDBConnection connection, String table, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (DuckDBAppender appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, table)) {
            for (Object[] row : rows) {
                appender.beginRow();
                for (Object value : row) {
                    append(appender, value);
                }
                appender.endRow();
            }
        }
    }
}
