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
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The rollup tables in DuckDB: created with the schema, appended to in the writer's transaction,
 * compacted by the writer when enough delta rows have piled up, and rebuilt from the raw tables
 * when a store written with another {@link Rollups#VERSION} (or before rollups existed) is opened.
 */
final class DuckDbRollups {
    /**
     * Delta rows a table takes before the writer folds them together, at least; a table already
     * larger than this waits until it has taken as many rows as it holds, so the cost of rewriting
     * it stays a constant share of the rows written, however large it grows.
     */
    private static final long COMPACT_AFTER_ROWS = 200_000;

    private final Map<RollupTable, long[]> rowCounts = new java.util.IdentityHashMap<>();

    DuckDbRollups() {
        for (RollupTable table : Rollups.ALL) {
            // [0]: delta rows since the last compaction, [1]: rows the last compaction left
            rowCounts.put(table, new long[2]);
        }
    }

    static void createTables(Statement statement) throws SQLException {
        for (RollupTable table : Rollups.ALL) {
            StringBuilder ddl = new StringBuilder("CREATE TABLE IF NOT EXISTS " + table.name()
                    + " (tenant_id VARCHAR NOT NULL, " + table.grain().column() + " BIGINT NOT NULL");
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

    private static void dropTables(Statement statement) throws SQLException {
        for (RollupTable table : Rollups.ALL) {
            statement.execute("DROP TABLE IF EXISTS " + table.name());
        }
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
            rowCounts.get(table)[0] += rows.size();
        }
    }

    boolean compactionDue() {
        return Rollups.ALL.stream().anyMatch(this::due);
    }

    private boolean due(RollupTable table) {
        long[] counts = rowCounts.get(table);
        return counts[0] >= Math.max(COMPACT_AFTER_ROWS, counts[1]);
    }

    /** Folds the deltas of the tables that are due. */
    void compactDue(DuckDBConnection connection) throws SQLException {
        compact(connection, Rollups.ALL.stream().filter(this::due).toList());
    }

    /** Folds every table's deltas. */
    void compact(DuckDBConnection connection) throws SQLException {
        compact(connection, Rollups.ALL);
    }

    /**
     * Folds each table's deltas into one row per group, dropping groups that cancelled out, in
     * (tenant, time slot) order so DuckDB's per-block minimums and maximums skip the blocks of
     * other tenants and times. One transaction: readers see either the deltas or their sums,
     * which add up to the same.
     */
    private void compact(DuckDBConnection connection, List<RollupTable> tables) throws SQLException {
        connection.setAutoCommit(false);
        Map<RollupTable, Long> remaining = new java.util.IdentityHashMap<>();
        try (Statement statement = connection.createStatement()) {
            for (RollupTable table : tables) {
                String keys = "tenant_id, " + table.grain().column() + table.keys().stream()
                        .map(key -> ", " + key.name()).collect(Collectors.joining());
                String combined = table.measures().stream().map(DuckDbRollups::combined)
                        .collect(Collectors.joining(", "));
                statement.execute("CREATE OR REPLACE TEMP TABLE rollup_compacted AS SELECT " + keys + ", " + combined
                        + " FROM " + table.name() + " GROUP BY ALL HAVING sum(" + table.countColumn() + ") <> 0"
                        + " ORDER BY tenant_id, " + table.grain().column());
                statement.execute("DELETE FROM " + table.name());
                statement.execute("INSERT INTO " + table.name() + " SELECT * FROM rollup_compacted");
                try (ResultSet count = statement.executeQuery("SELECT count(*) FROM rollup_compacted")) {
                    count.next();
                    remaining.put(table, count.getLong(1));
                }
                statement.execute("DROP TABLE rollup_compacted");
            }
            connection.commit();
            remaining.forEach((table, count) -> rowCounts.put(table, new long[] {0, count}));
        } catch (SQLException failure) {
            connection.rollback();
            throw failure;
        }
    }

    private static String combined(RollupTable.Measure measure) {
        return switch (measure.combine()) {
            case SUM -> "sum(" + measure.name() + ")::BIGINT";
            case MIN -> "min(" + measure.name() + ")";
            case MAX -> "max(" + measure.name() + ")";
        };
    }

    /**
     * Rebuilds the rollups from the raw tables when they were written by another version (or
     * not at all: a store from before rollups). Tables are dropped and made again, as their
     * columns may have changed.
     */
    void backfillIfNeeded(DuckDBConnection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet done = statement.executeQuery("SELECT max(version) FROM rollup_state")) {
            done.next();
            if (done.getInt(1) == Rollups.VERSION) {
                return;
            }
        }
        connection.setAutoCommit(false);
        try {
            try (Statement statement = connection.createStatement()) {
                dropTables(statement);
                createTables(statement);
                statement.execute("DELETE FROM rollup_state");
            }
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
                statement.execute("INSERT INTO rollup_state VALUES (" + Rollups.VERSION + ")");
            }
            connection.commit();
        } catch (SQLException failure) {
            connection.rollback();
            throw failure;
        }
        compact(connection);
    }

}
