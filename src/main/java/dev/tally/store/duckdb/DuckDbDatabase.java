package dev.tally.store.duckdb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.regex.Pattern;
import org.duckdb.DuckDBConnection;

/**
 * The one process-wide handle on a DuckDB file. DuckDB allows a single process to own a file, and
 * a connection must not be shared between threads, so this class opens the file once and hands
 * out duplicated connections: one kept for the writer, a small pool for readers.
 */
public final class DuckDbDatabase implements AutoCloseable {
    private static final int READERS = 8;
    /**
     * The log size at which DuckDB folds its log into the file. Its default, 16 MB, is reached
     * every few group commits of 48-column rows, and each fold rewrites the tables' open row
     * groups and the rollup tables: measured here, 3M events written in groups of 20,000 took
     * 41k events/s with 16 MB, 61k with 64 MB and 76k with 128 MB; 10M events over HTTP 64k
     * with 128 MB and 69k with 512 MB, peak RSS no higher (BENCHMARKS.md, session 24). The price
     * is a longer log to replay after a crash: 756 MB of these rows reopened in 9 s.
     */
    static final String CHECKPOINT_THRESHOLD = "512MB";

    private final DuckDBConnection root;
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private final List<Connection> all = new ArrayList<>();
    private final String location;

    private DuckDbDatabase(DuckDBConnection root, String location) throws SQLException {
        this.root = root;
        this.location = location;
        for (int index = 0; index < READERS; index++) {
            Connection reader = root.duplicate();
            all.add(reader);
            readers.add(reader);
        }
        DuckDbSchema.migrate(root);
    }

    /** A memory size as DuckDB reads it: a number and a unit, nothing that could end the literal. */
    private static final Pattern MEMORY_SIZE = Pattern.compile("\\d+(\\.\\d+)?\\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)",
            Pattern.CASE_INSENSITIVE);

    /** Whether DuckDB would read the text as a memory size (a number and a unit). */
    public static boolean isMemorySize(String text) {
        return text != null && MEMORY_SIZE.matcher(text.trim()).matches();
    }

    /** Opens (creating if needed) {@code tally.duckdb} in the directory, with DuckDB's default memory limit. */
    public static DuckDbDatabase open(Path directory) {
        return open(directory, null);
    }

    /**
     * Opens (creating if needed) {@code tally.duckdb} in the directory; {@code memoryLimit} (such as
     * {@code 1GB}) caps DuckDB's buffers, {@code null} leaves DuckDB's default of most of the machine.
     */
    public static DuckDbDatabase open(Path directory, String memoryLimit) {
        if (memoryLimit != null && !isMemorySize(memoryLimit)) {
            throw new IllegalArgumentException("duckdb memory limit must be a size such as 512MB or 2GB, not '"
                    + memoryLimit + "'");
        }
        try {
            Files.createDirectories(directory);
            Path file = directory.resolve("tally.duckdb").toAbsolutePath();
            DuckDBConnection root = connect("jdbc:duckdb:" + file);
            try (Statement statement = root.createStatement()) {
                if (memoryLimit != null) {
                    statement.execute("SET memory_limit = '" + memoryLimit.trim() + "'");
                }
                statement.execute("SET checkpoint_threshold = '" + CHECKPOINT_THRESHOLD + "'");
            }
            return new DuckDbDatabase(root, file.toString());
        } catch (java.io.IOException | SQLException failure) {
            throw new IllegalStateException("cannot open the DuckDB store in " + directory + ": "
                    + failure.getMessage(), failure);
        }
    }

    /** An in-memory database, for tests that do not need a file. */
    public static DuckDbDatabase inMemory() {
        try {
            return new DuckDbDatabase(connect("jdbc:duckdb:"), ":memory:");
        } catch (SQLException failure) {
            throw new IllegalStateException(failure);
        }
    }

    private static DuckDBConnection connect(String url) throws SQLException {
        return (DuckDBConnection) DriverManager.getConnection(url);
    }

    public String location() {
        return location;
    }

    /** A new connection of its own, for a caller that keeps it for its lifetime (the writer). */
    public synchronized DuckDBConnection newConnection() {
        try {
            DuckDBConnection connection = root.duplicate();
            all.add(connection);
            return connection;
        } catch (SQLException failure) {
            throw new IllegalStateException(failure);
        }
    }

    public interface ConnectionWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs read work on a pooled connection; waits when all are busy rather than opening more. */
    public <T> T read(ConnectionWork<T> work) {
        Connection connection;
        try {
            connection = readers.take();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a connection", interrupted);
        }
        try {
            return work.run(connection);
        } catch (SQLException failure) {
            throw new StoreException(failure);
        } finally {
            readers.add(connection);
        }
    }

    /** Small metadata writes go through the root connection, one at a time. */
    public synchronized <T> T metadata(ConnectionWork<T> work) {
        try {
            return work.run(root);
        } catch (SQLException failure) {
            throw new StoreException(failure);
        }
    }

    /** The bytes of the file's log not yet folded into it; 0 for a database in memory. */
    long logBytes() {
        try {
            java.nio.file.Path log = java.nio.file.Path.of(location + ".wal");
            return Files.exists(log) ? Files.size(log) : 0;
        } catch (java.io.IOException | java.nio.file.InvalidPathException unreadable) {
            return 0;
        }
    }

    public void checkpoint() {
        metadata(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CHECKPOINT");
            }
            return null;
        });
    }

    @Override
    public synchronized void close() {
        for (Connection connection : all) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing anyway; nothing to recover
            }
        }
        try {
            root.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
    }
}
