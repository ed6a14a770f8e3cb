package dev.tally.store.duckdb;

import dev.tally.event.Event;
import dev.tally.store.rollup.StoredEvent;
import dev.tally.store.sql.Row;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every stored event of a raw table that meets a filter, read back in slices of its fingerprints.
 * DuckDB's JDBC driver holds a query's whole result before handing over the first row, so one
 * query over a large table holds the table: at 90M events the kernel killed the process that
 * asked. A slice is the rows whose {@code id_hash} has given low bits, so slices hold about
 * {@link #ROWS_PER_SLICE} rows each however the rows spread over time or tenants.
 */
public final class StoredRows {
    static final long ROWS_PER_SLICE = 500_000;
    private static final int MAXIMUM_SLICES = 1 << 16;

    /** What is done with each row read; may write on the same connection between rows. */
    public interface Consumer {
        void accept(Event event) throws SQLException;
    }

    private StoredRows() {
    }

    /**
     * Hands {@code consumer} every row of {@code table} meeting {@code filter} (conditions, each
     * after AND, or empty), slice by slice. The driver holds a slice's whole result while it is
     * read, so the consumer may write on the same connection.
     */
    public static void forEach(Connection connection, String table, String filter, Consumer consumer)
            throws SQLException {
        forEach(connection, table, filter, ROWS_PER_SLICE, consumer);
    }

    static void forEach(Connection connection, String table, String filter, long rowsPerSlice, Consumer consumer)
            throws SQLException {
        try (Statement statement = connection.createStatement()) {
            int slices = slices(count(statement, table, filter), rowsPerSlice);
            for (int slice = 0; slice < slices; slice++) {
                String sliceFilter = slices == 1 ? "" : " AND (id_hash & " + (slices - 1) + ") = " + slice;
                try (ResultSet result = statement.executeQuery("SELECT " + StoredEvent.COLUMNS + " FROM " + table
                        + " WHERE true" + filter + sliceFilter)) {
                    ResultSetMetaData meta = result.getMetaData();
                    while (result.next()) {
                        Map<String, Object> values = new LinkedHashMap<>();
                        for (int column = 1; column <= meta.getColumnCount(); column++) {
                            values.put(meta.getColumnLabel(column), result.getObject(column));
                        }
                        consumer.accept(StoredEvent.fromRow(new Row(values)));
                    }
                }
            }
        }
    }

    /** A power of two, so that a slice is a mask of the fingerprint's low bits. */
    static int slices(long rows, long rowsPerSlice) {
        long wanted = (rows + rowsPerSlice - 1) / rowsPerSlice;
        int slices = 1;
        while (slices < wanted && slices < MAXIMUM_SLICES) {
            slices <<= 1;
        }
        return slices;
    }

    private static long count(Statement statement, String table, String filter) throws SQLException {
        try (ResultSet result = statement.executeQuery("SELECT count(*) FROM " + table + " WHERE true" + filter)) {
            result.next();
            return result.getLong(1);
        }
    }
}
