package dev.tally.bench;

import dev.tally.event.Event;
import dev.tally.event.EventType;
import dev.tally.pricing.PriceBook;
import dev.tally.pricing.Pricer;
import dev.tally.pricing.catalog.DefaultPrices;
import dev.tally.store.clickhouse.ClickHouseConfig;
import dev.tally.store.clickhouse.ClickHouseEventStore;
import dev.tally.store.clickhouse.ClickHouseStore;
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
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ClickHouse twin of {@link BulkLoad}: the first batches of a run inserted straight into the
 * server's database, priced and shaped as the store writes them (calls as versioned states, the
 * latest winning), for volumes HTTP ingest cannot reach in a session. Opening the store afterwards
 * records the loaded ids and marks their hours, as it does for a database of the last release;
 * the rollups of every hour are then recomputed here, timed, before the server starts.
 */
final class ClickHousePreload {
    private static final int BATCHES_PER_INSERT = 20;

    private ClickHousePreload() {
    }

    static Map<String, Object> load(EventGenerator generator, int batches, ClickHouseConfig config, int clients)
            throws Exception {
        ClickHouseStore.open(config).events().close();
        PriceBook prices = DefaultPrices.book();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long started = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        AtomicLong loaded = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int client = 0; client < clients; client++) {
                running.add(pool.submit(() -> {
                    int first;
                    while ((first = next.getAndAdd(BATCHES_PER_INSERT)) < batches) {
                        StringBuilder events = new StringBuilder();
                        StringBuilder calls = new StringBuilder();
                        for (int batch = first; batch < Math.min(batches, first + BATCHES_PER_INSERT); batch++) {
                            long version = (long) batch * 1_000_000;
                            for (Event event : generator.batch(batch)) {
                                Pricer.price(event, prices);
                                event.receivedMs = event.timeMs;
                                if (event.type == EventType.CALL) {
                                    calls.append(ClickHouseEventStore.row(event, version++)).append('\n');
                                } else {
                                    events.append(ClickHouseEventStore.row(event, null)).append('\n');
                                }
                            }
                            loaded.addAndGet(generator.batchSize(batch));
                        }
                        insert(http, config, "events", events);
                        insert(http, config, "calls", calls);
                        if (first / BATCHES_PER_INSERT % 50 == 0) {
                            BenchRun.log("preloaded " + loaded.get() + " events into ClickHouse");
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> client : running) {
                client.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double loadSeconds = (System.nanoTime() - started) / 1e9;
        BenchRun.log("recording ids, marking hours and recomputing the rollups of " + loaded.get() + " events");
        long rollupsStarted = System.nanoTime();
        ClickHouseEventStore store = (ClickHouseEventStore) ClickHouseStore.open(config).events();
        int hours;
        try {
            hours = store.recomputeRollups();
        } finally {
            store.close();
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("events", loaded.get());
        figures.put("load_seconds", BenchRun.round(loadSeconds));
        figures.put("rollup_hours", hours);
        figures.put("ids_marks_and_rollups_seconds", BenchRun.round((System.nanoTime() - rollupsStarted) / 1e9));
        return figures;
    }

    private static void insert(HttpClient http, ClickHouseConfig config, String table, StringBuilder rows)
            throws Exception {
        if (rows.length() == 0) {
            return;
        }
        URI endpoint = config.endpoints().get(0);
        String query = "database=" + URLEncoder.encode(config.database(), StandardCharsets.UTF_8)
                + "&insert_distributed_sync=1&query="
                + URLEncoder.encode("INSERT INTO " + table + " FORMAT JSONEachRow", StandardCharsets.UTF_8);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create(endpoint.getScheme() + "://" + endpoint.getHost() + ":" + endpoint.getPort() + "/?"
                                + query))
                .POST(HttpRequest.BodyPublishers.ofString(rows.toString(), StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("ClickHouse insert into " + table + " answered " + response.statusCode()
                    + ": " + response.body());
        }
    }
}
