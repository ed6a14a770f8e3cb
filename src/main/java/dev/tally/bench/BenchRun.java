package dev.tally.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.event.Event;
import dev.tally.store.clickhouse.ClickHouseConfig;
import dev.tally.store.duckdb.AppenderValues;
import dev.tally.store.duckdb.DuckDbDatabase;
import dev.tally.store.sql.EventColumn;
import dev.tally.store.sql.EventColumns;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/** The steps of one benchmark run, in order; each adds its figures to the results. */
final class BenchRun {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ADMIN_TOKEN = "bench-admin-token-0000000000000000";

    private final BenchCommand options;
    private final EventGenerator generator;
    private static final String SERVER_DATABASE = "tally_bench";
    private static final String RAW_DATABASE = "tally_bench_raw";

    private final long endMs;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** The first batch sent over HTTP (and appended raw); those before it are preloaded. */
    private final int firstHttpBatch;

    BenchRun(BenchCommand options) {
        this.options = options;
        this.endMs = options.end == null ? System.currentTimeMillis() - 600_000 : options.end.toEpochMilli();
        this.generator = new EventGenerator(options.seed, options.events, options.batch, endMs, options.days,
                options.revisionShare);
        this.firstHttpBatch = options.preload
                ? Math.max(0, generator.batches() - (int) ((options.ingestEvents + options.batch - 1) / options.batch))
                : 0;
    }

    void execute(Map<String, Object> results) throws Exception {
        Path work = options.workDirectory.toAbsolutePath();
        deleteRecursively(work);
        Files.createDirectories(work);
        Path bodies = work.resolve("bodies.ndjson");
        log("generating " + options.events + " events into " + bodies);
        BodyFile ingestBodies = writeBodies(bodies, NdjsonWriter::write);
        results.put("generated", Map.of("events", options.events, "ndjson_lines", ingestBodies.lines(),
                "bytes", ingestBodies.bytes(),
                "first_day", java.time.Instant.ofEpochMilli(generator.startMs()).toString(),
                "last_time", java.time.Instant.ofEpochMilli(endMs).toString()));
        switch (options.store) {
            case DUCKDB -> duckDb(results, work, ingestBodies);
            case CLICKHOUSE -> clickHouse(results, work, ingestBodies);
        }
    }

    private void duckDb(Map<String, Object> results, Path work, BodyFile bodies) throws Exception {
        log("raw DuckDB Appender");
        results.put("raw_appender", rawAppender(work.resolve("raw")));
        Path data = work.resolve("server-data");
        Files.createDirectories(data);
        if (firstHttpBatch > 0) {
            log("preloading " + firstHttpBatch + " batches into the server's store");
            results.put("preload", BulkLoad.load(generator, firstHttpBatch, data, work.resolve("preload")));
        }
        results.put("server_memory", serve(results, data, List.of(), bodies, () -> { }, base -> {
            // as the ClickHouse run waits for its rollups: the reports are measured once the writer
            // has folded what the ingest left, not while it folds
            log("waiting for the server to fold the rollup deltas of its ingest");
            results.put("rollup_catch_up", waitForUpkeep(base));
        }));
        Files.deleteIfExists(bodies.file());
        Path store = data.resolve("tally.duckdb");
        log("plain SQL on DuckDB");
        results.put("plain_sql_duckdb", plainDuckDb(store));
        results.put("stored", storedDuckDb(store));
        log("tally check: every rollup recomputed from the raw tables");
        results.put("rollup_check", rollupCheck(data));
        if (options.psql != null && options.postgresPort != null) {
            log("plain SQL on PostgreSQL");
            results.put("plain_sql_postgres", new PostgresComparison(options.psql, options.postgresPort, work)
                    .run(store, requestsFor(options.sqlRequests)));
        }
        results.put("ingest_ratio", ratio(results.get("http_ingest"), results.get("raw_appender")));
    }

    /**
     * The same steps against a two-shard ClickHouse cluster: the raw insert rate of the same rows
     * with one client and with as many clients as the HTTP ingest, then Tally serving from the
     * cluster, then plain SQL over the tables the server filled. The cluster is stopped however the
     * run ends.
     */
    private void clickHouse(Map<String, Object> results, Path work, BodyFile bodies) throws Exception {
        try (ClickHouseTarget target = ClickHouseTarget.open(options.clickHouseUrl, options.clickHouseCluster,
                work.resolve("clickhouse"));
             PeakMemory clickHouseMemory = new PeakMemory(target.pids())) {
            ClickHouseBench clickHouse = new ClickHouseBench(target.endpoints(), target.cluster());
            Map<String, Object> cluster = new LinkedHashMap<>();
            cluster.put("version", clickHouse.version());
            cluster.put("nodes", target.endpoints().size());
            cluster.put("cluster", target.cluster());
            cluster.put("started_by_bench", target.own());
            results.put("clickhouse", cluster);
            Path rowsFile = work.resolve("rows.jsonl");
            log("rendering the same rows as JSONEachRow into " + rowsFile);
            BodyFile rows = writeBodies(rowsFile, ClickHouseBench::rows);
            Map<String, Object> raw = new LinkedHashMap<>();
            log("raw ClickHouse insert, 1 client");
            raw.put("one_client", clickHouse.rawInsert(RAW_DATABASE, rows, 1));
            log("raw ClickHouse insert, " + options.clients + " clients");
            raw.put("concurrent", clickHouse.rawInsert(RAW_DATABASE, rows, options.clients));
            results.put("raw_clickhouse", raw);
            Files.deleteIfExists(rowsFile);
            // the first run with --keep-preloaded finds nothing to keep: it preloads, for the next ones to keep
            boolean kept = options.keepPreloaded && clickHouse.databaseExists(SERVER_DATABASE);
            if (kept) {
                results.put("preload", keptPreload(clickHouse));
            } else {
                if (options.keepPreloaded) {
                    log("no database " + SERVER_DATABASE + " an earlier run preloaded: preloading it");
                }
                clickHouse.dropDatabase(SERVER_DATABASE);
            }
            if (firstHttpBatch > 0 && !kept) {
                log("preloading " + firstHttpBatch + " batches into ClickHouse");
                results.put("preload", ClickHousePreload.load(generator, firstHttpBatch,
                        new ClickHouseConfig(target.endpoints(), SERVER_DATABASE, target.cluster(), false),
                        options.clients));
            }
            Path data = work.resolve("server-data");
            Files.createDirectories(data);
            results.put("server_memory", serve(results, data, List.of("--store", "clickhouse",
                    "--clickhouse-url", target.url(), "--clickhouse-database", SERVER_DATABASE,
                    "--clickhouse-cluster", target.cluster()), bodies, () -> {
                        if (firstHttpBatch > 0) {
                            // the server computes the preloaded hours' rollups when it opens them; the
                            // ingest is measured with them in place, as a running cluster would have them
                            log("waiting for the server to compute the rollups of the preloaded hours");
                            results.put("rollup_preload_catch_up", clickHouse.waitForRollups(SERVER_DATABASE));
                        }
                    }, base -> {
                        log("waiting for the server to recompute the rollups of the hours it ingested");
                        results.put("rollup_catch_up", clickHouse.waitForRollups(SERVER_DATABASE));
                    }));
            Files.deleteIfExists(bodies.file());
            log("plain SQL on ClickHouse");
            results.put("plain_sql_clickhouse", clickHouse.plainSql(SERVER_DATABASE, requestsFor(options.sqlRequests)));
            results.put("stored", clickHouse.storedTotals(SERVER_DATABASE));
            List<Long> peaks = clickHouseMemory.peakMib();
            if (!peaks.isEmpty()) {
                cluster.put("peak_rss_mib_per_server", peaks);
                cluster.put("peak_rss_mib_total", peaks.stream().mapToLong(Long::longValue).sum());
            }
            results.put("ingest_ratio", ratio(results.get("http_ingest"), raw.get("concurrent")));
        }
    }

    /** The database an earlier run preloaded, kept when it holds exactly the events this run would preload. */
    private Map<String, Object> keptPreload(ClickHouseBench clickHouse) throws Exception {
        long expected = 0;
        for (int batch = 0; batch < firstHttpBatch; batch++) {
            expected += generator.batchSize(batch);
        }
        log("counting the events an earlier run preloaded");
        Map<String, Object> stored = clickHouse.storedTotals(SERVER_DATABASE);
        long found = ((Number) stored.get("events")).longValue() + ((Number) stored.get("calls")).longValue();
        if (found != expected) {
            throw new IllegalStateException("--keep-preloaded: the database " + SERVER_DATABASE + " holds " + found
                    + " events and calls, the preload " + expected);
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("events", expected);
        figures.put("kept_from_an_earlier_run", true);
        return figures;
    }

    /**
     * Tally in a child JVM on the given store: HTTP ingest, then every report; returns its memory figures.
     *
     * @param beforeIngest what must happen between the server's start and the ingest (ClickHouse:
     *                     the preloaded hours' rollups computed)
     * @param afterIngest  what must happen between the ingest and the reports (ClickHouse: rollups catching up)
     */
    private Map<String, Object> serve(Map<String, Object> results, Path data, List<String> storeArguments,
                                      BodyFile bodies, ThrowingRunnable beforeIngest, AfterIngest afterIngest)
            throws Exception {
        int port = BenchCommand.freePort();
        Map<String, Object> server = new LinkedHashMap<>();
        try (ServerProcess process = new ServerProcess(data, port, ADMIN_TOKEN, options.serverHeap, storeArguments)) {
            String base = "http://127.0.0.1:" + port;
            server.put("ready_seconds", process.readySeconds());
            Keys keys = setUp(base);
            beforeIngest.run();
            log("HTTP ingest");
            ThreadTimes serverBefore = ThreadTimes.read(process.pid());
            ThreadTimes benchBefore = ThreadTimes.read(ProcessHandle.current().pid());
            Map<String, Object> ingest = httpIngest(base, keys, bodies);
            // where the ingest's CPU went, read at once so that neither side's reading includes the other's wait
            Map<String, Object> cpu = new LinkedHashMap<>();
            cpu.put("server", ThreadTimes.read(process.pid()).since(serverBefore));
            cpu.put("bench_client", ThreadTimes.read(ProcessHandle.current().pid()).since(benchBefore));
            ingest.put("cpu_seconds_by_thread", cpu);
            results.put("http_ingest", ingest);
            server.put("peak_rss_mib_after_ingest", process.peakRssKb() / 1024);
            // said at once: a long run's later steps (at 100M, the rollup check) can be waited for or not
            log("HTTP ingest: " + ingest.get("events_per_second") + " events/s, " + ingest.get("failed_requests")
                    + " failed requests, server peak RSS " + process.peakRssKb() / 1024 + " MiB; CPU s by thread: " + cpu);
            afterIngest.run(base);
            log("reports over HTTP");
            Map<String, Object> answers = new LinkedHashMap<>();
            results.put("reports_http", reports(base, keys, answers));
            results.put("report_answers_sha256", answers);
            server.put("peak_rss_mib", process.peakRssKb() / 1024);
            server.put("max_heap", options.serverHeap);
        }
        return server;
    }

    /** What runs between the ingest and the reports, given the server's base URL. */
    interface AfterIngest {
        void run(String base) throws Exception;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static Map<String, Object> ratio(Object http, Object raw) {
        double httpRate = ((Number) ((Map<?, ?>) http).get("events_per_second")).doubleValue();
        double rawRate = ((Number) ((Map<?, ?>) raw).get("events_per_second")).doubleValue();
        Map<String, Object> ratio = new LinkedHashMap<>();
        ratio.put("http_over_raw", Math.round(httpRate / rawRate * 100) / 100.0);
        return ratio;
    }

    static void log(String message) {
        System.err.println("[bench " + java.time.LocalTime.now().withNano(0) + "] " + message);
    }

    /** Request bodies in one file, batch after batch, and where each starts: read back by any client thread. */
    record BodyFile(Path file, long[] offsets, int[] counts, long lines) {
        int batches() {
            return counts.length;
        }

        long bytes() {
            return offsets[counts.length];
        }

        byte[] read(RandomAccessFile open, int index) throws IOException {
            byte[] body = new byte[(int) (offsets[index + 1] - offsets[index])];
            open.seek(offsets[index]);
            open.readFully(body);
            return body;
        }
    }

    private BodyFile writeBodies(Path file, Function<List<Event>, NdjsonWriter.Body> renderer) throws Exception {
        int batches = generator.batches() - firstHttpBatch;
        long[] offsets = new long[batches + 1];
        int[] lineCounts = new int[batches];
        long lines = 0;
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        try (var output = Files.newOutputStream(file)) {
            int window = 64;
            for (int start = 0; start < batches; start += window) {
                List<Future<NdjsonWriter.Body>> made = new ArrayList<>();
                for (int index = start; index < Math.min(batches, start + window); index++) {
                    int batch = index;
                    made.add(pool.submit(() -> renderer.apply(generator.batch(firstHttpBatch + batch))));
                }
                for (int index = start; index < Math.min(batches, start + window); index++) {
                    NdjsonWriter.Body body = made.get(index - start).get();
                    output.write(body.bytes());
                    offsets[index + 1] = offsets[index] + body.bytes().length;
                    lineCounts[index] = body.events();
                    lines += body.events();
                }
            }
        } finally {
            pool.shutdown();
        }
        return new BodyFile(file, offsets, lineCounts, lines);
    }

    /** The same rows appended straight into a scratch DuckDB file: one transaction per batch, as the store does. */
    private Map<String, Object> rawAppender(Path directory) throws Exception {
        long appendNanos = 0;
        long rows = 0;
        try (DuckDbDatabase database = DuckDbDatabase.open(directory)) {
            DuckDBConnection connection = database.newConnection();
            connection.setAutoCommit(false);
            for (int index = firstHttpBatch; index < generator.batches(); index++) {
                List<Event> events = generator.batch(index);
                long started = System.nanoTime();
                try (DuckDBAppender appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "events")) {
                    for (Event event : events) {
                        appender.beginRow();
                        for (EventColumn column : EventColumns.ALL) {
                            AppenderValues.append(appender, column.read(event));
                        }
                        appender.endRow();
                    }
                }
                connection.commit();
                appendNanos += System.nanoTime() - started;
                rows += events.size();
            }
            connection.close();
        }
        deleteRecursively(directory);
        return Map.of("rows", rows, "seconds", round(appendNanos / 1e9),
                "events_per_second", Math.round(rows / (appendNanos / 1e9)));
    }

    record Keys(String ingest, String platform, Map<String, String> analytics) {
    }

    private Keys setUp(String base) throws Exception {
        Map<String, String> analytics = new LinkedHashMap<>();
        for (String tenant : EventGenerator.TENANTS) {
            // a database kept from an earlier run has its tenants already
            if (!options.keepPreloaded || tenantMissing(base, tenant)) {
                admin(base, "/admin/tenants", "{\"id\":\"" + tenant + "\",\"name\":\"" + tenant + "\"}");
            }
            analytics.put(tenant, admin(base, "/admin/api-keys", "{\"tenant_id\":\"" + tenant
                    + "\",\"name\":\"bench\",\"scopes\":[\"analytics:read\",\"members:read\"]}").path("key").asText());
        }
        String ingest = admin(base, "/admin/api-keys",
                "{\"name\":\"bench ingest\",\"scopes\":[\"events:write\"]}").path("key").asText();
        String platform = admin(base, "/admin/api-keys",
                "{\"name\":\"bench platform\",\"scopes\":[\"analytics:read\",\"super-admin\"]}").path("key").asText();
        return new Keys(ingest, platform, analytics);
    }

    private boolean tenantMissing(String base, String tenant) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/tenants/" + tenant))
                .header("X-Admin-Token", ADMIN_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 && response.statusCode() != 404) {
            throw new IllegalStateException("/admin/tenants/" + tenant + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.statusCode() == 404;
    }

    /**
     * Waits until the server's gauge of rollup upkeep due ({@code tally_store_rollup_work_due}) has
     * read 0 twice in a row, a second apart; returns how long that took.
     */
    private Map<String, Object> waitForUpkeep(String base) throws Exception {
        long started = System.nanoTime();
        long deadline = started + TimeUnit.MINUTES.toNanos(30);
        int idle = 0;
        while (idle < 2) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("rollup upkeep still due after 30 minutes");
            }
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                    .header("X-Admin-Token", ADMIN_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
            String due = metrics.body().lines().filter(line -> line.startsWith("tally_store_rollup_work_due"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("the server has no rollup upkeep gauge"));
            idle = due.endsWith(" 0.0") ? idle + 1 : 0;
            Thread.sleep(1_000);
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("seconds", round((System.nanoTime() - started) / 1e9));
        return figures;
    }

    private JsonNode admin(String base, String path, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("X-Admin-Token", ADMIN_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return MAPPER.readTree(response.body());
    }

    private Map<String, Object> httpIngest(String base, Keys keys, BodyFile bodies) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong failedRequests = new AtomicLong();
        Latencies latencies = new Latencies();
        ExecutorService clients = Executors.newFixedThreadPool(options.clients);
        long started = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int client = 0; client < options.clients; client++) {
            running.add(clients.submit(() -> {
                try (RandomAccessFile file = new RandomAccessFile(bodies.file().toFile(), "r")) {
                    int index;
                    while ((index = next.getAndIncrement()) < bodies.batches()) {
                        byte[] body = bodies.read(file, index);
                        long sent = System.nanoTime();
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/events"))
                                .header("Authorization", "Bearer " + keys.ingest())
                                .header("Content-Type", "application/x-ndjson")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        long took = System.nanoTime() - sent;
                        synchronized (latencies) {
                            latencies.add(took);
                        }
                        if (response.statusCode() == 200) {
                            acknowledged.addAndGet(bodies.counts()[index]);
                        } else {
                            failedRequests.incrementAndGet();
                            if (failedRequests.get() < 5) {
                                log("ingest answered " + response.statusCode() + ": " + response.body());
                            }
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> client : running) {
            client.get();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        clients.shutdown();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("acknowledged_events", acknowledged.get());
        figures.put("failed_requests", failedRequests.get());
        figures.put("seconds", round(seconds));
        figures.put("events_per_second", Math.round(acknowledged.get() / seconds));
        figures.put("request_p50_ms", round(latencies.percentileMs(0.5)));
        figures.put("request_p99_ms", round(latencies.percentileMs(0.99)));
        return figures;
    }

    private List<List<ReportRequests.Request>> requestsFor(int count) {
        ReportRequests maker = new ReportRequests(generator, endMs);
        List<List<ReportRequests.Request>> all = new ArrayList<>();
        for (String report : ReportRequests.REPORTS) {
            // a report left out gets no requests; the others get the same ones as in a run of every report
            List<ReportRequests.Request> requests = new ArrayList<>();
            for (int index = 0; index < count; index++) {
                requests.add(maker.next(report));
            }
            all.add(options.measures(report) ? requests : List.of());
        }
        return all;
    }

    /** Every report's latency; {@code answers} gets a digest of each report's first answer, to compare stores. */
    private Map<String, Object> reports(String base, Keys keys, Map<String, Object> answers) throws Exception {
        Map<String, Object> figures = new LinkedHashMap<>();
        List<List<ReportRequests.Request>> all = requestsFor(options.requests);
        for (int report = 0; report < ReportRequests.REPORTS.length; report++) {
            Latencies latencies = new Latencies();
            List<ReportRequests.Request> requests = all.get(report);
            if (requests.isEmpty()) {
                continue;
            }
            int warmUp = Math.min(20, requests.size());
            // the same requests twice more: first as they come after the ingest (20 warm-up requests, then
            // each once, with DuckDB reading each range's blocks and preparing each query shape for the first
            // time on its connections), then again on a server that has answered them all
            Latencies warm = new Latencies();
            for (int index = 0; index < 2 * requests.size() + warmUp; index++) {
                ReportRequests.Request request = requests.get(index % requests.size());
                long started = System.nanoTime();
                HttpResponse<String> response = http.send(request.toHttp(base, keys.platform(), keys.analytics()),
                        HttpResponse.BodyHandlers.ofString());
                long took = System.nanoTime() - started;
                if (response.statusCode() != 200) {
                    throw new IllegalStateException(request.path() + " answered " + response.statusCode() + ": "
                            + response.body());
                }
                if (index >= warmUp + requests.size()) {
                    warm.add(took);
                } else if (index >= warmUp) {
                    latencies.add(took);
                }
                if (index == 0) {
                    answers.put(ReportRequests.REPORTS[report], sha256(response.body()));
                }
            }
            figures.put(ReportRequests.REPORTS[report], Map.of("p50_ms", round(latencies.percentileMs(0.5)),
                    "p99_ms", round(latencies.percentileMs(0.99)), "requests", latencies.count(),
                    "warm_p50_ms", round(warm.percentileMs(0.5)), "warm_p99_ms", round(warm.percentileMs(0.99))));
        }
        return figures;
    }

    private Map<String, Object> plainDuckDb(Path store) throws SQLException {
        Map<String, Object> figures = new LinkedHashMap<>();
        Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        List<List<ReportRequests.Request>> all = requestsFor(options.sqlRequests);
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + store, readOnly);
             Statement statement = connection.createStatement()) {
            for (int report = 0; report < ReportRequests.REPORTS.length; report++) {
                Latencies latencies = new Latencies();
                List<ReportRequests.Request> requests = all.get(report);
                if (requests.isEmpty()) {
                    continue;
                }
                for (int index = 0; index < requests.size() + 3; index++) {
                    long started = System.nanoTime();
                    for (String sql : requests.get(index % requests.size()).duckDbSql().split("; ")) {
                        statement.executeQuery(sql).close();
                    }
                    if (index >= 3) {
                        latencies.add(System.nanoTime() - started);
                    }
                }
                figures.put(ReportRequests.REPORTS[report], Map.of("p50_ms", round(latencies.percentileMs(0.5)),
                        "p99_ms", round(latencies.percentileMs(0.99)), "requests", latencies.count()));
            }
        }
        return figures;
    }

    /** What the server stored, to compare with a ClickHouse run of the same events. */
    /**
     * What {@code tally check} costs on the file the server wrote, run as a user runs it: its own
     * process (one DuckDB instance per file and process), the whole command timed.
     */
    private Map<String, Object> rollupCheck(Path data) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path output = data.resolveSibling("check.log");
        long started = System.nanoTime();
        Process check = new ProcessBuilder(java.toString(), "-Xmx" + options.serverHeap, "-cp",
                System.getProperty("java.class.path"), "dev.tally.Main", "check", "--data-dir", data.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        int exit = check.waitFor();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("seconds", round((System.nanoTime() - started) / 1e9));
        figures.put("exit_code", exit);
        List<String> lines = Files.readAllLines(output);
        figures.put("result", lines.isEmpty() ? "" : lines.get(lines.size() - 1));
        return figures;
    }

    private static Map<String, Object> storedDuckDb(Path store) throws SQLException {
        Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        Map<String, Object> totals = new LinkedHashMap<>();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + store, readOnly);
             Statement statement = connection.createStatement()) {
            for (String table : List.of("events", "calls")) {
                try (var result = statement.executeQuery(
                        "SELECT count(*), coalesce(sum(cost_nanos), 0) FROM " + table)) {
                    result.next();
                    totals.put(table, Long.parseLong(result.getString(1)));
                    totals.put(table + "_cost_nanos", Long.parseLong(result.getString(2)));
                }
            }
        }
        return totals;
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path each : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(each);
            }
        }
    }
}
