package dev.tally.bench;

import dev.tally.event.Event;
import dev.tally.store.duckdb.AppenderValues;
import dev.tally.store.duckdb.DuckDbDatabase;
import dev.tally.store.sql.EventColumn;
import dev.tally.store.sql.EventColumns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/** Not a test: a JMH-free timing of the pieces of the DuckDB append path. Run its main by hand. */
public final class AppendTiming {
    public static void main(String[] arguments) throws Exception {
        int total = arguments.length > 0 ? Integer.parseInt(arguments[0]) : 200_000;
        int perCommit = arguments.length > 1 ? Integer.parseInt(arguments[1]) : 5_000;
        String mode = arguments.length > 2 ? arguments[2] : "generic";
        EventGenerator generator = new EventGenerator(1, total, 5000, System.currentTimeMillis(), 90);
        List<Event> all = new ArrayList<>();
        for (int index = 0; index < generator.batches(); index++) {
            all.addAll(generator.batch(index));
        }
        for (int round = 0; round < 2; round++) {
            Path directory = Files.createTempDirectory("append-timing");
            try (DuckDbDatabase database = Boolean.getBoolean("memory") ? DuckDbDatabase.inMemory()
                    : DuckDbDatabase.open(directory)) {
                DuckDBConnection connection = database.newConnection();
                for (String setting : System.getProperty("settings", "").split(";")) {
                    if (!setting.isBlank()) {
                        try (var statement = connection.createStatement()) {
                            statement.execute(setting);
                        }
                    }
                }
                connection.setAutoCommit(false);
                long appendNanos = 0;
                long cpuStart = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                long commitNanos = 0;
                for (int start = 0; start < all.size(); start += perCommit) {
                    List<Event> batch = all.subList(start, Math.min(all.size(), start + perCommit));
                    long began = System.nanoTime();
                    try (DuckDBAppender appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "events")) {
                        for (Event event : batch) {
                            if (mode.equals("generic")) {
                                generic(appender, event);
                            } else if (mode.equals("nulls")) {
                                appender.beginRow();
                                for (EventColumn column : EventColumns.ALL) {
                                    if (column.nullable()) {
                                        appender.appendNull();
                                    } else if (column.kind() == dev.tally.store.sql.ColumnKind.STRING) {
                                        appender.append("x");
                                    } else {
                                        appender.append(1L);
                                    }
                                }
                                appender.endRow();
                            } else {
                                dev.tally.store.duckdb.RowAppenderAccess.append(appender, event,
                                        dev.tally.ingest.dedup.IdFingerprint.of(event.tenantId, event.id));
                            }
                        }
                    }
                    long appended = System.nanoTime();
                    connection.commit();
                    long committed = System.nanoTime();
                    appendNanos += appended - began;
                    commitNanos += committed - appended;
                }
                long cpu = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart;
                System.out.printf("%s cpu %.2fs => %.0f rows per cpu-second%n", mode, cpu / 1e9, all.size() / (cpu / 1e9));
                if (Boolean.getBoolean("copy")) try (var statement = connection.createStatement()) {
                    statement.execute("CREATE TABLE copy_target AS SELECT * FROM events LIMIT 0");
                    connection.commit();
                    long began = System.nanoTime();
                    statement.execute("INSERT INTO copy_target SELECT * FROM events");
                    connection.commit();
                    System.out.printf("INSERT SELECT %.0f rows/s%n", all.size() / ((System.nanoTime() - began) / 1e9));
                    statement.execute("COPY events TO '" + directory + "/x.csv' (HEADER false)");
                    statement.execute("DELETE FROM copy_target");
                    connection.commit();
                    began = System.nanoTime();
                    statement.execute("INSERT INTO copy_target SELECT * FROM read_csv('" + directory + "/x.csv', header=false, auto_detect=false, columns=" + columnsStruct() + ")");
                    connection.commit();
                    System.out.printf("read_csv INSERT %.0f rows/s%n", all.size() / ((System.nanoTime() - began) / 1e9));
                }
                connection.close();
                System.out.printf("%s per-commit=%d rows=%d append %.2fs commit %.2fs => %.0f rows/s%n", mode, perCommit,
                        all.size(), appendNanos / 1e9, commitNanos / 1e9, all.size() / ((appendNanos + commitNanos) / 1e9));
            }
            BenchRun.deleteRecursively(directory);
        }
    }

    private static String columnsStruct() {
        StringBuilder struct = new StringBuilder("{");
        for (EventColumn column : EventColumns.ALL) {
            if (struct.length() > 1) {
                struct.append(", ");
            }
            struct.append("'").append(column.name()).append("': '").append(switch (column.kind()) {
                case STRING -> "VARCHAR";
                case LONG -> "BIGINT";
                case INTEGER -> "INTEGER";
            }).append("'");
        }
        return struct.append("}").toString();
    }

    private static void generic(DuckDBAppender appender, Event event) throws Exception {
        appender.beginRow();
        for (EventColumn column : EventColumns.ALL) {
            AppenderValues.append(appender, column.read(event));
        }
        appender.endRow();
    }
}
