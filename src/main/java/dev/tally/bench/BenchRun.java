package dev.tally.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.event.Event;
import dev.tally.store.EventColumn;
import dev.tally.store.EventColumns;
import dev.tally.store.duckdb.DuckDbDatabase;
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
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/** The steps of one benchmark run, in order; each adds its figures to the results. */
final class BenchRun {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ADMIN_TOKEN = "bench-admin-token-0000000000000000";

    private final BenchCommand options;
    private final EventGenerator generator;
    private final long endMs = System.currentTimeMillis() - 600_000;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private long[] offsets;
    private int[] lineCounts;
    /** The first batch sent over HTTP (and appended raw); those before it are preloaded. */
    private final int firstHttpBatch;

    BenchRun(BenchCommand options) {
        this.options = options;
        this.generator = new EventGenerator(options.seed, options.events, options.batch, endMs, options.days);
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
        results.put("generated", writeBodies(bodies));
        log("raw DuckDB Appender");
        results.put("raw_appender", rawAppender(work.resolve("raw")));
        Path data = work.resolve("server-data");
        Files.createDirectories(data);
        if (firstHttpBatch > 0) {
            log("preloading " + firstHttpBatch + " batches into the server's store");
            results.put("preload", BulkLoad.load(generator, firstHttpBatch, data, work.resolve("preload")));
        }
        int port = BenchCommand.freePort();
        Map<String, Object> server = new LinkedHashMap<>();
        try (ServerProcess process = new ServerProcess(data, port, ADMIN_TOKEN, options.serverHeap)) {
            String base = "http://127.0.0.1:" + port;
            Keys keys = setUp(base);
            log("HTTP ingest");
            results.put("http_ingest", httpIngest(base, keys, bodies));
            server.put("peak_rss_mib_after_ingest", process.peakRssKb() / 1024);
            log("reports over HTTP");
            results.put("reports_http", reports(base, keys));
            server.put("peak_rss_mib", process.peakRssKb() / 1024);
            server.put("max_heap", options.serverHeap);
        }
        results.put("server_memory", server);
        Files.deleteIfExists(bodies);
        Path store = data.resolve("tally.duckdb");
        log("plain SQL on DuckDB");
        results.put("plain_sql_duckdb", plainDuckDb(store));
        if (options.psql != null && options.postgresPort != null) {
            log("plain SQL on PostgreSQL");
            results.put("plain_sql_postgres", new PostgresComparison(options.psql, options.postgresPort, work)
                    .run(store, requestsFor(options.sqlRequests)));
        }
        Map<String, Object> ratio = new LinkedHashMap<>();
        double httpRate = ((Number) ((Map<?, ?>) results.get("http_ingest")).get("events_per_second")).doubleValue();
        double rawRate = ((Number) ((Map<?, ?>) results.get("raw_appender")).get("events_per_second")).doubleValue();
        ratio.put("http_over_raw", Math.round(httpRate / rawRate * 100) / 100.0);
        results.put("ingest_ratio", ratio);
    }

    static void log(String message) {
        System.err.println("[bench " + java.time.LocalTime.now().withNano(0) + "] " + message);
    }

    private Map<String, Object> writeBodies(Path file) throws Exception {
        int batches = generator.batches() - firstHttpBatch;
        offsets = new long[batches + 1];
        lineCounts = new int[batches];
        long lines = 0;
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        try (var output = Files.newOutputStream(file)) {
            int window = 64;
            for (int start = 0; start < batches; start += window) {
                List<Future<NdjsonWriter.Body>> made = new ArrayList<>();
                for (int index = start; index < Math.min(batches, start + window); index++) {
                    int batch = index;
                    made.add(pool.submit(() -> NdjsonWriter.write(generator.batch(firstHttpBatch + batch))));
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
        return Map.of("events", options.events, "ndjson_lines", lines, "bytes", offsets[batches],
                "first_day", java.time.Instant.ofEpochMilli(generator.startMs()).toString(),
                "last_time", java.time.Instant.ofEpochMilli(endMs).toString());
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
                            Object value = column.read(event);
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
            admin(base, "/admin/tenants", "{\"id\":\"" + tenant + "\",\"name\":\"" + tenant + "\"}");
            analytics.put(tenant, admin(base, "/admin/api-keys", "{\"tenant_id\":\"" + tenant
                    + "\",\"name\":\"bench\",\"scopes\":[\"analytics:read\",\"members:read\"]}").path("key").asText());
        }
        String ingest = admin(base, "/admin/api-keys",
                "{\"name\":\"bench ingest\",\"scopes\":[\"events:write\"]}").path("key").asText();
        String platform = admin(base, "/admin/api-keys",
                "{\"name\":\"bench platform\",\"scopes\":[\"analytics:read\",\"super-admin\"]}").path("key").asText();
        return new Keys(ingest, platform, analytics);
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

    private Map<String, Object> httpIngest(String base, Keys keys, Path bodies) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong failedRequests = new AtomicLong();
        Latencies latencies = new Latencies();
        ExecutorService clients = Executors.newFixedThreadPool(options.clients);
        long started = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int client = 0; client < options.clients; client++) {
            running.add(clients.submit(() -> {
                try (RandomAccessFile file = new RandomAccessFile(bodies.toFile(), "r")) {
                    int index;
                    while ((index = next.getAndIncrement()) < lineCounts.length) {
                        byte[] body = new byte[(int) (offsets[index + 1] - offsets[index])];
                        file.seek(offsets[index]);
                        file.readFully(body);
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
                            acknowledged.addAndGet(lineCounts[index]);
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
        ReportRequests maker = new ReportRequests(generator.startMs(), endMs);
        List<List<ReportRequests.Request>> all = new ArrayList<>();
        for (String report : ReportRequests.REPORTS) {
            List<ReportRequests.Request> requests = new ArrayList<>();
            for (int index = 0; index < count; index++) {
                requests.add(maker.next(report));
            }
            all.add(requests);
        }
        return all;
    }

    private Map<String, Object> reports(String base, Keys keys) throws Exception {
        Map<String, Object> figures = new LinkedHashMap<>();
        List<List<ReportRequests.Request>> all = requestsFor(options.requests);
        for (int report = 0; report < ReportRequests.REPORTS.length; report++) {
            Latencies latencies = new Latencies();
            List<ReportRequests.Request> requests = all.get(report);
            int warmUp = Math.min(20, requests.size());
            for (int index = 0; index < requests.size() + warmUp; index++) {
                ReportRequests.Request request = requests.get(index % requests.size());
                HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + request.path()));
                if (request.tenant() == null) {
                    builder.header("Authorization", "Bearer " + keys.platform());
                } else if (request.method().equals("POST")) {
                    builder.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            ("api:" + keys.analytics().get(request.tenant())).getBytes(StandardCharsets.UTF_8)));
                } else {
                    builder.header("Authorization", "Bearer " + keys.analytics().get(request.tenant()));
                }
                if (request.body() != null) {
                    builder.header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(request.body()));
                }
                long started = System.nanoTime();
                HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
                long took = System.nanoTime() - started;
                if (response.statusCode() != 200) {
                    throw new IllegalStateException(request.path() + " answered " + response.statusCode() + ": "
                            + response.body());
                }
                if (index >= warmUp) {
                    latencies.add(took);
                }
            }
            figures.put(ReportRequests.REPORTS[report], Map.of("p50_ms", round(latencies.percentileMs(0.5)),
                    "p99_ms", round(latencies.percentileMs(0.99)), "requests", latencies.count()));
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
