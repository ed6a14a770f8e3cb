package dev.tally.bench;

import dev.tally.event.Event;
import dev.tally.event.EventType;
import dev.tally.pricing.PriceBook;
import dev.tally.pricing.Pricer;
import dev.tally.pricing.catalog.DefaultPrices;
import dev.tally.store.duckdb.DuckDbDatabase;
import dev.tally.store.duckdb.DuckDbEventStore;
import dev.tally.store.duckdb.StoredRows;
import dev.tally.store.rollup.RollupTable;
import dev.tally.store.rollup.Rollups;
import dev.tally.store.sql.EventColumn;
import dev.tally.store.sql.EventColumns;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * Fills a server's data directory with the first batches of a run before the server starts, for
 * runs too large to send through HTTP in a session (100M events take hours at the store's append
 * rate here). Rows are priced with the default book and stored as ingest stores them (calls as
 * their latest state, {@code id_hash} filled), but written through DuckDB's CSV reader rather than
 * the Appender. The rollup rows are the store's own delta rows ({@link Rollups.Deltas}), computed
 * while the CSV is written and loaded the same way, then compacted by the store: reading 100M rows
 * back through JDBC to rebuild them would take longer than the load.
 *
 * <p>What this measures is the reports at that volume, and the HTTP ingest of the remaining
 * batches on top of it; never the load itself as an ingest rate.
 */
final class BulkLoad {
    /** Batches turned into one pair of CSV files and one INSERT. */
    private static final int BATCHES_PER_CHUNK = 200;
    /**
     * DuckDB's buffers while loading, beside this JVM's heap (`-Xmx8g` for 100M): with DuckDB's
     * default, most of the machine, the two together outgrew 24 GB at 90M events and the kernel
     * killed the bench. Past this, DuckDB spills to disk.
     */
    private static final String MEMORY_LIMIT = "6GB";

    private BulkLoad() {
    }

    static Map<String, Object> load(EventGenerator generator, int batches, Path dataDirectory, Path scratch)
            throws Exception {
        PriceBook prices = DefaultPrices.book();
        long started = System.nanoTime();
        long rows = 0;
        Files.createDirectories(scratch);
        int threads = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (DuckDbDatabase database = DuckDbDatabase.open(dataDirectory, MEMORY_LIMIT)) {
            try (var connection = database.newConnection(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TEMP TABLE call_states AS SELECT 0::BIGINT AS position, * FROM calls LIMIT 0");
                List<Rollups.Deltas> deltas = new ArrayList<>();
                for (int first = 0; first < batches; first += BATCHES_PER_CHUNK) {
                    int last = Math.min(batches, first + BATCHES_PER_CHUNK);
                    List<Future<Rollups.Deltas>> parts = new ArrayList<>();
                    List<Path> eventFiles = new ArrayList<>();
                    List<Path> callFiles = new ArrayList<>();
                    int step = (last - first + threads - 1) / threads;
                    for (int part = 0; part < threads; part++) {
                        int from = first + part * step;
                        int to = Math.min(last, from + step);
                        if (from >= to) {
                            continue;
                        }
                        Path events = scratch.resolve("events-" + part + ".csv");
                        Path calls = scratch.resolve("calls-" + part + ".csv");
                        eventFiles.add(events);
                        callFiles.add(calls);
                        parts.add(pool.submit(() -> writeCsv(generator, from, to, prices, events, calls)));
                    }
                    for (Future<Rollups.Deltas> part : parts) {
                        deltas.add(part.get());
                    }
                    for (int batch = first; batch < last; batch++) {
                        rows += generator.batchSize(batch);
                    }
                    statement.execute("INSERT INTO events SELECT * FROM " + readCsv(eventFiles, false));
                    statement.execute("INSERT INTO call_states SELECT * FROM " + readCsv(callFiles, true));
                    for (Path file : eventFiles) {
                        Files.delete(file);
                    }
                    for (Path file : callFiles) {
                        Files.delete(file);
                    }
                    BenchRun.log("preloaded " + rows + " events");
                }
                // one row per call, its latest state, as ingest keeps them
                String columns = EventColumns.ALL.stream().map(EventColumn::name).collect(Collectors.joining(", "));
                // the latest position by a grouping of three columns, then a join: a window over every
                // column held all ~6M call states at once, and at 90M events the kernel killed the bench
                statement.execute("INSERT INTO calls SELECT " + columns + " FROM call_states JOIN (SELECT tenant_id, id,"
                        + " max(position) AS position FROM call_states GROUP BY tenant_id, id) AS latest"
                        + " USING (tenant_id, id, position)");
                statement.execute("DROP TABLE call_states");
                BenchRun.log("calls stored as their latest states; loading the rollups");
                loadRollups(statement, deltas, scratch);
                BenchRun.log("rollups loaded");
                DuckDbEventStore.completeBulkLoad(connection);
            }
            double loadSeconds = (System.nanoTime() - started) / 1e9;
            BenchRun.log("compacting the rollups of " + rows + " events");
            long rebuildStarted = System.nanoTime();
            DuckDbEventStore store = new DuckDbEventStore(database);
            store.compactRollups();
            store.close();
            database.checkpoint();
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("events", rows);
            figures.put("load_seconds", BenchRun.round(loadSeconds));
            figures.put("rollup_compact_seconds", BenchRun.round((System.nanoTime() - rebuildStarted) / 1e9));
            return figures;
        } finally {
            pool.shutdown();
        }
    }

    /**
     * The rows of batches {@code [from, to)}: every event but calls to one file, call states (with
     * their position, so the latest wins) to the other. Returns how many events were written.
     */
    private static Rollups.Deltas writeCsv(EventGenerator generator, int from, int to, PriceBook prices,
                                           Path eventsFile, Path callsFile) throws IOException {
        Rollups.Deltas deltas = new Rollups.Deltas();
        try (Writer events = new BufferedWriter(Files.newBufferedWriter(eventsFile, StandardCharsets.UTF_8), 1 << 20);
             Writer calls = new BufferedWriter(Files.newBufferedWriter(callsFile, StandardCharsets.UTF_8), 1 << 20)) {
            StringBuilder line = new StringBuilder(512);
            for (int batch = from; batch < to; batch++) {
                long position = (long) batch * 1_000_000;
                for (Event event : generator.batch(batch)) {
                    Pricer.price(event, prices);
                    event.receivedMs = event.timeMs;
                    line.setLength(0);
                    boolean call = event.type == EventType.CALL;
                    if (call) {
                        line.append(position++).append(',');
                    }
                    appendRow(line, event);
                    (call ? calls : events).append(line).append('\n');
                    if (!call) {
                        deltas.add(event);
                    }
                }
            }
        }
        return deltas;
    }

    /**
     * The rollup rows of every event, and of each call's latest state (read back from the loaded
     * calls table, which is small: one row per call).
     */
    private static void loadRollups(Statement statement, List<Rollups.Deltas> parts, Path scratch) throws Exception {
        Rollups.Deltas calls = new Rollups.Deltas();
        StoredRows.forEach(statement.getConnection(), "calls", "", calls::add);
        List<Rollups.Deltas> all = new ArrayList<>(parts);
        all.add(calls);
        for (RollupTable table : Rollups.ALL) {
            Path file = scratch.resolve(table.name() + ".csv");
            try (Writer out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 20)) {
                for (Rollups.Deltas deltas : all) {
                    for (Object[] row : deltas.rows(table)) {
                        StringBuilder line = new StringBuilder();
                        for (int index = 0; index < row.length; index++) {
                            if (index > 0) {
                                line.append(',');
                            }
                            if (row[index] instanceof String text) {
                                line.append('"').append(text.replace("\"", "\"\"")).append('"');
                            } else if (row[index] != null) {
                                line.append(row[index]);
                            }
                        }
                        out.append(line).append('\n');
                    }
                }
            }
            statement.execute("INSERT INTO " + table.name() + " SELECT * FROM read_csv('" + file.toAbsolutePath()
                    + "', header = false, auto_detect = false, columns = " + rollupColumns(statement, table)
                    + ", delim = ',', quote = '\"', escape = '\"', allow_quoted_nulls = false)");
            Files.delete(file);
        }
    }

    /** The table's own column types, so the CSV reads as what the store created. */
    private static String rollupColumns(Statement statement, RollupTable table) throws Exception {
        List<String> columns = new ArrayList<>();
        try (var result = statement.executeQuery("SELECT column_name, data_type FROM information_schema.columns"
                + " WHERE table_name = '" + table.name() + "' ORDER BY ordinal_position")) {
            while (result.next()) {
                columns.add("'" + result.getString(1) + "': '" + result.getString(2) + "'");
            }
        }
        return "{" + String.join(", ", columns) + "}";
    }

    private static void appendRow(StringBuilder line, Event event) {
        boolean first = true;
        for (EventColumn column : EventColumns.ALL) {
            if (!first) {
                line.append(',');
            }
            first = false;
            Object value = column.read(event);
            if (value instanceof String text) {
                // always quoted: an empty string is "" and only an empty unquoted field is NULL
                line.append('"').append(text.replace("\"", "\"\"")).append('"');
            } else if (value != null) {
                line.append(value);
            }
        }
    }

    private static String readCsv(List<Path> files, boolean withPosition) {
        StringBuilder types = new StringBuilder("{");
        if (withPosition) {
            types.append("'position': 'BIGINT', ");
        }
        types.append(EventColumns.ALL.stream().map(column -> "'" + column.name() + "': '" + switch (column.kind()) {
            case STRING -> "VARCHAR";
            case LONG -> "BIGINT";
            case INTEGER -> "INTEGER";
        } + "'").collect(Collectors.joining(", ")));
        String list = files.stream().map(file -> "'" + file.toAbsolutePath() + "'").collect(Collectors.joining(", "));
        return "read_csv([" + list + "], columns = " + types + "}, header = false, auto_detect = false,"
                + " delim = ',', quote = '\"', escape = '\"', allow_quoted_nulls = false)";
    }
}
