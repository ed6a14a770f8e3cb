package dev.tally.store.duckdb;

import dev.tally.event.Event;
import dev.tally.store.rollup.StoredEvent;
import dev.tally.store.sql.Row;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Every stored event of a raw table that meets a filter, read back in slices of about
 * {@link #ROWS_PER_SLICE} rows. DuckDB's JDBC driver holds a query's whole result before handing
 * over the first row, so one query over a large table holds the table: at 90M events the kernel
 * killed the process that asked.
 *
 * <p>Slices are ranges of time, cut at the times' approximate quantiles: rows are stored roughly
 * in time order, so DuckDB reads only a range's row groups. Slicing by the fingerprint's low bits
 * alone took every column of every row group once per slice (minutes at 100M events); it remains
 * for a range that holds too many rows because they share their times.
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
            long rows = count(statement, table, filter);
            if (rows <= rowsPerSlice) {
                read(statement, table, filter, consumer);
                return;
            }
            for (String range : timeRanges(statement, table, filter, slices(rows, rowsPerSlice))) {
                String rangeFilter = filter + range;
                int slices = slices(count(statement, table, rangeFilter), rowsPerSlice);
                for (int slice = 0; slice < slices; slice++) {
                    read(statement, table, rangeFilter + (slices == 1 ? ""
                            : " AND (id_hash & " + (slices - 1) + ") = " + slice), consumer);
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

    /** Conditions on {@code time_ms} that together take every row once, cut at the times' quantiles. */
    static List<String> timeRanges(Statement statement, String table, String filter, int ranges)
            throws SQLException {
        StringBuilder quantiles = new StringBuilder();
        for (int range = 1; range < ranges; range++) {
            quantiles.append(range == 1 ? "" : ", ").append((double) range / ranges);
        }
        TreeSet<Long> cuts = new TreeSet<>();
        try (ResultSet result = statement.executeQuery("SELECT approx_quantile(time_ms, [" + quantiles + "]) FROM "
                + table + " WHERE true" + filter)) {
            result.next();
            for (Object cut : (Object[]) result.getArray(1).getArray()) {
                cuts.add(((Number) cut).longValue());
            }
        }
        List<String> conditions = new ArrayList<>();
        Long previous = null;
        for (long cut : cuts) {
            conditions.add((previous == null ? "" : " AND time_ms >= " + previous) + " AND time_ms < " + cut);
            previous = cut;
        }
        conditions.add(previous == null ? "" : " AND time_ms >= " + previous);
        return conditions;
    }

    private static void read(Statement statement, String table, String filter, Consumer consumer)
            throws SQLException {
        try (ResultSet result = statement.executeQuery("SELECT " + StoredEvent.COLUMNS + " FROM " + table
                + " WHERE true" + filter)) {
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

    private static long count(Statement statement, String table, String filter) throws SQLException {
        try (ResultSet result = statement.executeQuery("SELECT count(*) FROM " + table + " WHERE true" + filter)) {
            result.next();
            return result.getLong(1);
        }
    }
}
