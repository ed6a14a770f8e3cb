package dev.tally.enginebench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * How fast DuckDB takes rows shaped like Tally's {@code events} table (52 columns: text, BIGINT,
 * one INTEGER; a third of the optional values NULL), one transaction per batch as a group commit
 * is, by each way of handing them over: the row Appender, an Arrow stream scanned by an
 * {@code INSERT … SELECT}, a CSV file read by {@code COPY}, and DuckDB copying the same rows from
 * its own table (the engine with nothing to convert). Rows are made before the clock starts.
 *
 * <p>Arguments: the method ({@code appender}, {@code arrow}, {@code csv}, {@code copy}); system
 * properties {@code rows} (1,000,000), {@code batch} (10,000), {@code memory} (an in-memory
 * database instead of a file), {@code checkpointThreshold} (Tally's 128MB), {@code columns} (the first
 * N of the 52), {@code nullShare} (0.3333).
 */
public final class EngineBench {
    /** The column types in the order of Tally's events table: T text, L BIGINT, I INTEGER. */
    private static final String ALL_TYPES = "TTLTLTTTTTTTLLTTTTTTTTTTTTTTLLLLLLLLTITTTLTLLLLLLLLT";
    /** Fewer columns ({@code columns}, at least 6): a table per event type would carry its type's columns only. */
    private static final String TYPES = ALL_TYPES.substring(0, Integer.getInteger("columns", ALL_TYPES.length()));
    /** The share of optional values (columns after the sixth) left NULL; Tally's real rows leave most of them. */
    private static final double NULL_SHARE = Double.parseDouble(System.getProperty("nullShare", "0.3333"));
    private static final int ROWS = Integer.getInteger("rows", 1_000_000);
    private static final int BATCH = Integer.getInteger("batch", 10_000);

    private final Object[][] rows = rows();
    private long commitNanos;

    public static void main(String[] arguments) throws Exception {
        new EngineBench().run(arguments[0]);
    }

    private void run(String method) throws Exception {
        Path directory = Files.createTempDirectory("tally-engine-bench");
        String url = "jdbc:duckdb:" + (Boolean.getBoolean("memory") ? "" : directory.resolve("bench.duckdb").toString());
        try (DuckDBConnection connection = (DuckDBConnection) DriverManager.getConnection(url);
             BufferAllocator allocator = new RootAllocator()) {
            execute(connection, create("events"));
            execute(connection, "SET checkpoint_threshold = '" + System.getProperty("checkpointThreshold", "128MB") + "'");
            if (method.equals("copy")) {
                execute(connection, create("source_rows"));
                execute(connection, "BEGIN TRANSACTION");
                appendRows(connection, "source_rows", 0, ROWS);
                execute(connection, "COMMIT");
                execute(connection, "CREATE TABLE numbered AS SELECT row_number() OVER () - 1 AS row_number, * FROM source_rows");
                execute(connection, "CHECKPOINT");
            }
            long started = System.nanoTime();
            for (int from = 0; from < ROWS; from += BATCH) {
                int to = Math.min(ROWS, from + BATCH);
                execute(connection, "BEGIN TRANSACTION");
                switch (method) {
                    case "appender" -> appendRows(connection, "events", from, to);
                    case "arrow" -> insertArrow(connection, allocator, from, to);
                    case "csv" -> copyCsv(connection, directory, from, to);
                    case "copy" -> execute(connection, "INSERT INTO events SELECT * EXCLUDE (row_number) FROM numbered"
                            + " WHERE row_number >= " + from + " AND row_number < " + to);
                    default -> throw new IllegalArgumentException("method: appender, arrow, csv or copy, not " + method);
                }
                long committing = System.nanoTime();
                execute(connection, "COMMIT");
                commitNanos += System.nanoTime() - committing;
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            try (Statement statement = connection.createStatement();
                 ResultSet result = statement.executeQuery("SELECT count(*), sum(c4), count(c6) FROM events")) {
                result.next();
                System.out.printf("%s, %d columns, %.0f %% of optional values NULL, batches of %,d: %,d rows in %.2f s = %,.0f rows/s, of which commits %.2f s"
                                + " (stored: %,d rows, sum %d, %,d non-null)%n", method, TYPES.length(), NULL_SHARE * 100,
                        BATCH, ROWS, seconds, ROWS / seconds,
                        commitNanos / 1e9, result.getLong(1), result.getLong(2), result.getLong(3));
            }
        }
    }

    private static void execute(DuckDBConnection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String create(String table) {
        StringBuilder create = new StringBuilder("CREATE TABLE " + table + " (");
        for (int column = 0; column < TYPES.length(); column++) {
            create.append(column == 0 ? "" : ", ").append("c" + column + " " + switch (TYPES.charAt(column)) {
                case 'T' -> "VARCHAR";
                case 'L' -> "BIGINT";
                default -> "INTEGER";
            });
        }
        return create.append(")").toString();
    }

    /** Tenants, UUID ids, model names, times in order, small counts; a third of the optional columns NULL. */
    private static Object[][] rows() {
        Random random = new Random(1);
        String[] models = {"gpt-4o", "gpt-4o-mini", "claude-sonnet-4", "gemini-2.5-flash"};
        Object[][] rows = new Object[ROWS][];
        for (int index = 0; index < ROWS; index++) {
            Object[] row = new Object[TYPES.length()];
            for (int column = 0; column < row.length; column++) {
                if (column > 5 && random.nextDouble() < NULL_SHARE) {
                    continue;
                }
                row[column] = switch (TYPES.charAt(column)) {
                    case 'T' -> switch (column) {
                        case 0 -> "tenant-" + random.nextInt(50);
                        case 1 -> UUID.randomUUID().toString();
                        case 8 -> "{}";
                        default -> models[random.nextInt(models.length)] + (column % 3 == 0 ? "-x" : "");
                    };
                    case 'L' -> column == 4 ? 1_700_000_000_000L + index * 100L : (long) random.nextInt(5_000);
                    default -> random.nextInt(10);
                };
            }
            rows[index] = row;
        }
        return rows;
    }

    private void appendRows(DuckDBConnection connection, String table, int from, int to) throws SQLException {
        try (DuckDBAppender appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, table)) {
            for (int index = from; index < to; index++) {
                appender.beginRow();
                for (Object value : rows[index]) {
                    if (value == null) {
                        appender.appendNull();
                    } else if (value instanceof String text) {
                        appender.append(text);
                    } else if (value instanceof Long number) {
                        appender.append(number.longValue());
                    } else {
                        appender.append(((Integer) value).intValue());
                    }
                }
                appender.endRow();
            }
        }
    }

    private void insertArrow(DuckDBConnection connection, BufferAllocator allocator, int from, int to) throws SQLException {
        // the exported stream owns the reader, and closes it when DuckDB releases the stream
        try (ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator)) {
            Data.exportArrayStream(allocator, new OneBatch(allocator, from, to), stream);
            connection.registerArrowStream("batch_rows", stream);
            execute(connection, "INSERT INTO events SELECT * FROM batch_rows");
        }
    }

    private static Schema schema() {
        List<Field> fields = new ArrayList<>();
        for (int column = 0; column < TYPES.length(); column++) {
            ArrowType type = switch (TYPES.charAt(column)) {
                case 'T' -> new ArrowType.Utf8();
                case 'L' -> new ArrowType.Int(64, true);
                default -> new ArrowType.Int(32, true);
            };
            fields.add(new Field("c" + column, FieldType.nullable(type), null));
        }
        return new Schema(fields);
    }

    /** The rows [from, to) as one Arrow record batch, filled column by column when DuckDB asks. */
    private final class OneBatch extends ArrowReader {
        private final int from;
        private final int to;
        private boolean loaded;

        OneBatch(BufferAllocator allocator, int from, int to) {
            super(allocator);
            this.from = from;
            this.to = to;
        }

        @Override
        public boolean loadNextBatch() throws IOException {
            if (loaded) {
                return false;
            }
            loaded = true;
            VectorSchemaRoot root = getVectorSchemaRoot();
            int count = to - from;
            for (int column = 0; column < TYPES.length(); column++) {
                FieldVector vector = root.getVector(column);
                vector.setInitialCapacity(count);
                vector.allocateNew();
                for (int index = 0; index < count; index++) {
                    Object value = rows[from + index][column];
                    switch (TYPES.charAt(column)) {
                        case 'T' -> {
                            if (value == null) {
                                ((VarCharVector) vector).setNull(index);
                            } else {
                                ((VarCharVector) vector).setSafe(index, ((String) value).getBytes(StandardCharsets.UTF_8));
                            }
                        }
                        case 'L' -> {
                            if (value == null) {
                                ((BigIntVector) vector).setNull(index);
                            } else {
                                ((BigIntVector) vector).set(index, (Long) value);
                            }
                        }
                        default -> {
                            if (value == null) {
                                ((IntVector) vector).setNull(index);
                            } else {
                                ((IntVector) vector).set(index, (Integer) value);
                            }
                        }
                    }
                }
                vector.setValueCount(count);
            }
            root.setRowCount(count);
            return true;
        }

        @Override
        public long bytesRead() {
            return 0;
        }

        @Override
        protected void closeReadSource() {
        }

        @Override
        protected Schema readSchema() {
            return schema();
        }
    }

    private void copyCsv(DuckDBConnection connection, Path directory, int from, int to) throws IOException, SQLException {
        Path file = directory.resolve("batch.csv");
        try (Writer writer = Files.newBufferedWriter(file)) {
            for (int index = from; index < to; index++) {
                Object[] row = rows[index];
                for (int column = 0; column < row.length; column++) {
                    if (column > 0) {
                        writer.write(',');
                    }
                    if (row[column] instanceof String text) {
                        writer.write('"' + text.replace("\"", "\"\"") + '"');
                    } else if (row[column] != null) {
                        writer.write(row[column].toString());
                    }
                }
                writer.write('\n');
            }
        }
        execute(connection, "COPY events FROM '" + file + "' (HEADER false, QUOTE '\"')");
    }
}
