package dev.tally.store.duckdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;

/** Copies of the embedded store: written while it serves, loaded into a new data directory. */
public final class DuckDbBackups {
    private DuckDbBackups() {
    }

    static void export(DuckDbDatabase database, Path directory) {
        Path target = directory.toAbsolutePath();
        requireEmpty(target, "the backup directory");
        database.read(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("EXPORT DATABASE " + literal(target) + " (FORMAT parquet)");
            }
            return null;
        });
    }

    /**
     * Loads a backup into {@code dataDirectory}, which must hold no store yet: the server opens it as
     * it opens any store of this release or the last (migrating its schema).
     */
    public static void restore(Path backup, Path dataDirectory) {
        Path source = backup.toAbsolutePath();
        if (!Files.isRegularFile(source.resolve("schema.sql")) || !Files.isRegularFile(source.resolve("load.sql"))) {
            throw new IllegalArgumentException(source + " holds no backup (schema.sql and load.sql)");
        }
        if (Files.exists(dataDirectory.resolve("tally.duckdb"))) {
            throw new IllegalArgumentException(dataDirectory.resolve("tally.duckdb") + " exists already: restore into"
                    + " a new data directory");
        }
        // a bare connection: the store's own opening would create the tables the backup creates
        try {
            Files.createDirectories(dataDirectory);
            try (Connection connection = DriverManager.getConnection("jdbc:duckdb:"
                    + dataDirectory.resolve("tally.duckdb").toAbsolutePath());
                 Statement statement = connection.createStatement()) {
                statement.execute("IMPORT DATABASE " + literal(source));
                statement.execute("CHECKPOINT");
            }
        } catch (IOException | SQLException failure) {
            // half a restore is no store: the next attempt starts from nothing again
            deleteQuietly(dataDirectory.resolve("tally.duckdb"));
            deleteQuietly(dataDirectory.resolve("tally.duckdb.wal"));
            throw new IllegalStateException("cannot restore " + source + " into " + dataDirectory + ": "
                    + failure.getMessage(), failure);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the error being reported already says the restore failed
        }
    }

    private static void requireEmpty(Path directory, String what) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> entries = Files.list(directory)) {
            if (entries.findAny().isPresent()) {
                throw new IllegalArgumentException(what + " " + directory + " is not empty");
            }
        } catch (IOException failure) {
            throw new IllegalArgumentException(what + " " + directory + " cannot be read: " + failure.getMessage());
        }
    }

    private static String literal(Path path) {
        return "'" + path.toString().replace("'", "''") + "'";
    }
}
