package dev.tally.store.duckdb;

import dev.tally.store.EventColumn;
import dev.tally.store.Row;
import dev.tally.store.rollup.RollupTable;
import dev.tally.store.rollup.Rollups;
import dev.tally.store.rollup.StoredEvent;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The rollup tables in DuckDB: created with the schema, appended to in the writer's transaction,
 * compacted by the writer when enough delta rows have piled up, and filled once from the raw
 * tables when a store written before rollups existed is opened.
 */
final class DuckDbRollups {
    /** Delta rows appended since the last compaction before the writer folds them together. */
    private static final long COMPACT_AFTER_ROWS = 200_000;

    private long rowsSinceCompaction;

    static void createTables(Statement statement) throws SQLException {
        for (RollupTable table : Rollups.ALL) {
            StringBuilder ddl = new StringBuilder("CREATE TABLE IF NOT EXISTS " + table.name()
                    + " (tenant_id VARCHAR NOT NULL, day BIGINT NOT NULL");
            for (EventColumn key : table.keys()) {
                ddl.append(", ").append(key.name()).append(key.kind() == dev.tally.store.ColumnKind.STRING
                        ? " VARCHAR" : " INTEGER NOT NULL");
            }
            for (RollupTable.Measure measure : table.measures()) {
                ddl.append(", ").append(measure.name()).append(" BIGINT NOT NULL");
            }
            statement.execute(ddl.append(")").toString());
        }
        statement.execute("CREATE TABLE IF NOT EXISTS rollup_state (version INTEGER NOT NULL)");
    }

    /** Appends the deltas of one write, in the caller's open transaction. */
    void append(DuckDBConnection connection, Rollups.Deltas deltas) throws SQLException {
        for (RollupTable table : Rollups.ALL) {
            var rows = deltas.rows(table);
            if (rows.isEmpty()) {
                continue;
            }
            try (DuckDBAppender appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, table.name())) {
                for (Object[] row : rows) {
                    appender.beginRow();
                    for (Object value : row) {
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
                    appender.endRow();
                }
            }
            rowsSinceCompaction += rows.size();
        }
    }

    boolean compactionDue() {
        return rowsSinceCompaction >= COMPACT_AFTER_ROWS;
    }

    /**
     * Folds every table's deltas into one row per group, dropping groups that cancelled out. One
     * transaction: readers see either the deltas or their sums, which add up to the same.
     */
    void compact(DuckDBConnection connection) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            for (RollupTable table : Rollups.ALL) {
                String keys = "tenant_id, day" + table.keys().stream().map(key -> ", " + key.name())
                        .collect(Collectors.joining());
                String sums = table.measures().stream().map(measure -> "sum(" + measure.name() + ")::BIGINT")
                        .collect(Collectors.joining(", "));
                statement.execute("CREATE OR REPLACE TEMP TABLE rollup_compacted AS SELECT " + keys + ", " + sums
                        + " FROM " + table.name() + " GROUP BY ALL HAVING sum(" + table.countColumn() + ") <> 0");
                statement.execute("DELETE FROM " + table.name());
                statement.execute("INSERT INTO " + table.name() + " SELECT * FROM rollup_compacted");
                statement.execute("DROP TABLE rollup_compacted");
            }
            connection.commit();
            rowsSinceCompaction = 0;
        } catch (SQLException failure) {
            connection.rollback();
            throw failure;
        }
    }

    /** Fills the rollups from the raw tables once, for a store written before they existed. */
    void backfillIfNeeded(DuckDBConnection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet done = statement.executeQuery("SELECT count(*) FROM rollup_state")) {
            done.next();
            if (done.getLong(1) > 0) {
                return;
            }
        }
        connection.setAutoCommit(false);
        try {
            for (String source : new String[] {"events", "calls"}) {
                Rollups.Deltas deltas = new Rollups.Deltas();
                long pending = 0;
                try (Statement statement = connection.createStatement();
                     ResultSet result = statement.executeQuery("SELECT " + StoredEvent.COLUMNS + " FROM " + source)) {
                    ResultSetMetaData meta = result.getMetaData();
                    while (result.next()) {
                        Map<String, Object> values = new LinkedHashMap<>();
                        for (int column = 1; column <= meta.getColumnCount(); column++) {
                            values.put(meta.getColumnLabel(column), result.getObject(column));
                        }
                        deltas.add(StoredEvent.fromRow(new Row(values)));
                        if (++pending == 1_000_000) {
                            append(connection, deltas);
                            deltas = new Rollups.Deltas();
                            pending = 0;
                        }
                    }
                }
                append(connection, deltas);
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO rollup_state VALUES (1)");
            }
            connection.commit();
        } catch (SQLException failure) {
            connection.rollback();
            throw failure;
        }
        compact(connection);
    }

}
