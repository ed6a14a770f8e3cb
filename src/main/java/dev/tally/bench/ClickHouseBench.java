package dev.tally.bench;

import dev.tally.event.Event;
import dev.tally.store.clickhouse.ClickHouseConfig;
import dev.tally.store.clickhouse.ClickHouseEventStore;
import dev.tally.store.clickhouse.ClickHouseStore;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ClickHouse side of a benchmark run, over ClickHouse's HTTP interface: the raw insert rate of
 * the same rows (the store's limit here) and the report questions in plain SQL. Everything is sent
 * to the first endpoint, as Tally's store does; the Distributed table there spreads rows and
 * queries over the shards.
 */
final class ClickHouseBench {

    private final List<URI> endpoints;
    private final String cluster;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    ClickHouseBench(List<URI> endpoints, String cluster) {
        this.endpoints = List.copyOf(endpoints);
        this.cluster = cluster;
    }

    String version() throws IOException, InterruptedException {
        return post(endpoints.get(0), Map.of(), "SELECT version()").strip();
    }

    /** On every endpoint: a local cluster has no ZooKeeper, so no {@code ON CLUSTER}. */
    void dropDatabase(String database) throws IOException, InterruptedException {
        for (URI endpoint : endpoints) {
            post(endpoint, Map.of(), "DROP DATABASE IF EXISTS " + database);
        }
    }

    /** Whether the database exists on the first endpoint (every endpoint has the same schema). */
    boolean databaseExists(String database) throws IOException, InterruptedException {
        return !post(endpoints.get(0), Map.of(), "SELECT name FROM system.databases WHERE name = '"
                + database.replace("'", "") + "' FORMAT TabSeparated").isBlank();
    }

    /** Tally's own schema (per-shard tables, Distributed tables over them), so raw rows land in the same layout. */
    void createSchema(String database) {
        ClickHouseStore.open(new ClickHouseConfig(endpoints, database, cluster, false)).events().close();
    }

    /**
     * Every event (calls too) as a row of {@code events}, one JSONEachRow line each, rendered by the
     * very method Tally's store renders its rows with.
     */
    static NdjsonWriter.Body rows(List<Event> events) {
        StringBuilder out = new StringBuilder(events.size() * 600);
        for (Event event : events) {
            out.append(ClickHouseEventStore.row(event, event.revision)).append('\n');
        }
        return new NdjsonWriter.Body(out.toString().getBytes(StandardCharsets.UTF_8), events.size());
    }

    /**
     * The pre-rendered rows inserted batch by batch into the Distributed {@code events} table of a
     * fresh database by {@code clients} concurrent clients, each insert acknowledged only once every
     * shard has its rows ({@code insert_distributed_sync}, as Tally's store inserts).
     */
    Map<String, Object> rawInsert(String database, BenchRun.BodyFile rows, int clients) throws Exception {
        dropDatabase(database);
        createSchema(database);
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long started = System.nanoTime();
        List<Future<Long>> running = new ArrayList<>();
        for (int client = 0; client < clients; client++) {
            running.add(pool.submit(() -> {
                long inserted = 0;
                try (RandomAccessFile file = new RandomAccessFile(rows.file().toFile(), "r")) {
                    int index;
                    while ((index = next.getAndIncrement()) < rows.batches()) {
                        byte[] body = rows.read(file, index);
                        insert(database, body);
                        inserted += rows.counts()[index];
                    }
                }
                return inserted;
            }));
        }
        long total = 0;
        try {
            for (Future<Long> client : running) {
                total += client.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long stored = count(database, "events");
        dropDatabase(database);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("clients", clients);
        figures.put("rows", total);
        figures.put("rows_stored", stored);
        figures.put("seconds", BenchRun.round(seconds));
        figures.put("events_per_second", Math.round(total / seconds));
        return figures;
    }

    private void insert(String database, byte[] body) throws IOException, InterruptedException {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("database", database);
        parameters.put("insert_distributed_sync", "1");
        parameters.put("query", "INSERT INTO events FORMAT JSONEachRow");
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(url(endpoints.get(0), parameters))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("ClickHouse insert answered " + response.statusCode() + ": "
                    + response.body());
        }
    }

    /** The report questions in plain SQL over the server's raw tables, the first 3 rounds not counted. */
    Map<String, Object> plainSql(String database, List<List<ReportRequests.Request>> all) throws Exception {
        Map<String, Object> figures = new LinkedHashMap<>();
        Map<String, String> settings = querySettings(database);
        for (int report = 0; report < ReportRequests.REPORTS.length; report++) {
            Latencies latencies = new Latencies();
            List<ReportRequests.Request> requests = all.get(report);
            if (requests.isEmpty()) {
                continue;
            }
            for (int index = 0; index < requests.size() + 3; index++) {
                long started = System.nanoTime();
                for (String sql : requests.get(index % requests.size()).clickHouseSql().split("; ")) {
                    post(endpoints.get(0), settings, sql + " FORMAT JSON");
                }
                if (index >= 3) {
                    latencies.add(System.nanoTime() - started);
                }
            }
            figures.put(ReportRequests.REPORTS[report], Map.of("p50_ms", BenchRun.round(latencies.percentileMs(0.5)),
                    "p99_ms", BenchRun.round(latencies.percentileMs(0.99)), "requests", latencies.count()));
        }
        return figures;
    }

    /** What the server stored, to compare with a DuckDB run of the same events. */
    Map<String, Object> storedTotals(String database) throws IOException, InterruptedException {
        Map<String, Object> totals = new LinkedHashMap<>();
        String[] events = post(endpoints.get(0), querySettings(database),
                "SELECT count(), sum(cost_nanos) FROM events FINAL WHERE deleted = 0 FORMAT TabSeparated").strip().split("\t");
        String[] calls = post(endpoints.get(0), querySettings(database),
                "SELECT count(), sum(cost_nanos) FROM calls FINAL WHERE deleted = 0 FORMAT TabSeparated").strip().split("\t");
        totals.put("events", number(events[0]));
        totals.put("events_cost_nanos", number(events[1]));
        totals.put("calls", number(calls[0]));
        totals.put("calls_cost_nanos", number(calls[1]));
        return totals;
    }

    /**
     * Waits until the server has recomputed the rollups of every hour it ingested that is over (the
     * open hour is read from raw rows by design): no (tenant, hour) before the current one whose
     * newest mark is newer than what its rollup rows cover. Returns how long that took.
     */
    Map<String, Object> waitForRollups(String database) throws IOException, InterruptedException {
        long started = System.nanoTime();
        long deadline = started + java.util.concurrent.TimeUnit.MINUTES.toNanos(30);
        long pending;
        do {
            long openHour = System.currentTimeMillis() / 3_600_000L;
            pending = Long.parseLong(post(endpoints.get(0), Map.of("database", database),
                    "SELECT count() FROM (SELECT tenant_id, hour, max(marked_ms) AS marked FROM rollup_marks"
                            + " WHERE hour < " + openHour + " GROUP BY tenant_id, hour) ANY LEFT JOIN"
                            + " (SELECT tenant_id, hour, argMax(covered_ms, version) AS covered FROM rollup_hours"
                            + " GROUP BY tenant_id, hour) USING (tenant_id, hour) WHERE marked > covered"
                            + " FORMAT TabSeparated").strip());
            if (pending > 0) {
                Thread.sleep(2_000);
            }
        } while (pending > 0 && System.nanoTime() < deadline);
        if (pending > 0) {
            throw new IllegalStateException(pending + " hours still without rollups after 30 minutes");
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("seconds", BenchRun.round((System.nanoTime() - started) / 1e9));
        return figures;
    }

    /** A TabSeparated number; {@code \\N} (the sum of no values) is 0, as for DuckDB's totals. */
    private static long number(String text) {
        return text.equals("\\N") ? 0 : Long.parseLong(text);
    }

    private long count(String database, String table) throws IOException, InterruptedException {
        return Long.parseLong(post(endpoints.get(0), querySettings(database),
                "SELECT count() FROM " + table + " FORMAT TabSeparated").strip());
    }

    /** A subquery over a Distributed table runs on each shard over its own rows: a tenant lives on one shard. */
    private static Map<String, String> querySettings(String database) {
        return Map.of("database", database, "distributed_product_mode", "local");
    }

    private String post(URI endpoint, Map<String, String> parameters, String body)
            throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(url(endpoint, parameters))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("ClickHouse answered " + response.statusCode() + " to "
                    + body.substring(0, Math.min(200, body.length())) + ": " + response.body().strip());
        }
        return response.body();
    }

    private static URI url(URI endpoint, Map<String, String> parameters) {
        StringBuilder url = new StringBuilder(endpoint.toString()).append("/?");
        parameters.forEach((name, value) -> url.append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)).append('&'));
        return URI.create(url.substring(0, url.length() - 1));
    }
}
