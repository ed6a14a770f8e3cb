package dev.tally.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.app.ServerConfig;
import dev.tally.bench.EventGenerator;
import dev.tally.event.EventType;
import dev.tally.bench.NdjsonWriter;
import dev.tally.bench.ReportRequests;
import dev.tally.store.EventStore;
import dev.tally.store.clickhouse.ClickHouseConfig;
import dev.tally.store.clickhouse.ClickHouseStore;
import dev.tally.store.duckdb.DuckDbDatabase;
import dev.tally.store.duckdb.DuckDbEventStore;
import dev.tally.store.sql.RawTable;
import dev.tally.store.sql.SqlBuilder;
import dev.tally.testing.ClickHouseCluster;
import dev.tally.testing.ServeProcess;
import dev.tally.testing.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise under the worst crash: a real {@code tally serve} process on a DuckDB file (and on the
 * two-shard ClickHouse cluster) is killed
 * with SIGKILL again and again while clients of three tenants ingest concurrently, and is started
 * again on the same file each time. Clients retry whatever was not answered 200, as the contract
 * tells them to; at the end they send every batch once more. Then every report of the crashed
 * server must equal, byte for byte, the report of a server that took the same batches once, without
 * a crash, and the raw tables must hold exactly the events sent.
 */
class KillNineLoopTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int EVENTS = 36_000;
    private static final int BATCH = 300;
    private static final int DAYS = 20;
    private static final int KILLS = 8;
    private static final int CLIENTS = 4;
    /** A client's pause after each acknowledged batch: the sending outlasts half the kills even on a quiet machine. */
    private static final long PACE_MS = 300;
    private static final int REQUESTS_PER_REPORT = 4;
    private static final double REVISIONS = 0.05;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** The store a crashed server writes to: how to start on it, and what it holds afterwards. */
    private interface StoreUnderTest {
        List<String> serveArguments();

        /** Rows of the raw tables once the server has stopped, after checking what the store can check itself. */
        Map<String, Long> storedCounts();
    }

    @Test
    void everyReportEqualsTheBatchesSentAfterRepeatedKillsUnderConcurrentIngest(@TempDir Path directory)
            throws Exception {
        Path data = directory.resolve("data");
        run(data, new StoreUnderTest() {
            @Override
            public List<String> serveArguments() {
                return List.of();
            }

            @Override
            public Map<String, Long> storedCounts() {
                return KillNineLoopTest.storedCounts(data);
            }
        });
    }

    /**
     * The same loop on the ClickHouse cluster: the write steps of a batch (marks, call intents,
     * events, ids, calls, call states) are separate inserts there, so a kill can fall between any two.
     */
    @Test
    void everyReportOnClickHouseEqualsTheBatchesSentAfterRepeatedKillsUnderConcurrentIngest(@TempDir Path directory)
            throws Exception {
        ClickHouseConfig cluster = ClickHouseCluster.shared().newDatabase();
        run(directory.resolve("data"), new StoreUnderTest() {
            @Override
            public List<String> serveArguments() {
                return List.of("--store", "clickhouse", "--clickhouse-url", ClickHouseCluster.shared().url(),
                        "--clickhouse-database", cluster.database(), "--clickhouse-cluster", cluster.cluster());
            }

            @Override
            public Map<String, Long> storedCounts() {
                EventStore events = ClickHouseStore.open(cluster).events();
                try {
                    return KillNineLoopTest.storedCounts(events);
                } finally {
                    events.close();
                }
            }
        });
    }

    private void run(Path data, StoreUnderTest store) throws Exception {
        long endMs = LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        // corrections too: a share of each batch revises events of the batch before, so the kills also land
        // in writes that replace stored rows and take their rollup deltas back
        EventGenerator generator = new EventGenerator(2026, EVENTS, BATCH, endMs, DAYS, REVISIONS);
        List<NdjsonWriter.Body> bodies = new ArrayList<>();
        java.util.Set<List<String>> distinct = new java.util.HashSet<>();
        for (int index = 0; index < generator.batches(); index++) {
            List<dev.tally.event.Event> batch = generator.batch(index);
            batch.forEach(event -> distinct.add(List.of(String.valueOf(event.type == EventType.CALL), event.tenantId,
                    event.id)));
            bodies.add(NdjsonWriter.write(batch));
        }
        long lines = bodies.stream().mapToLong(NdjsonWriter.Body::events).sum();

        String[] serveArguments = store.serveArguments().toArray(String[]::new);
        AtomicReference<ServeProcess> server = new AtomicReference<>(
                ServeProcess.start(data, List.of("-Xmx512m"), serveArguments));
        try {
            Keys crashed = setUp(server.get().base());

            ConcurrentLinkedQueue<Integer> pending = new ConcurrentLinkedQueue<>();
            for (int index = 0; index < bodies.size(); index++) {
                pending.add(index);
            }
            AtomicInteger acknowledged = new AtomicInteger();
            AtomicLong acknowledgedLines = new AtomicLong();
            AtomicLong retries = new AtomicLong();
            List<String> unexpected = new CopyOnWriteArrayList<>();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            for (int client = 0; client < CLIENTS; client++) {
                clients.submit(() -> {
                    while (acknowledged.get() < bodies.size() && unexpected.isEmpty()) {
                        Integer next = pending.poll();
                        if (next == null) {
                            ServeProcess.pause(20);
                            continue;
                        }
                        HttpResponse<String> answer = ingest(server.get().base(), crashed.ingest(), bodies.get(next));
                        if (answer != null && answer.statusCode() == 200) {
                            acknowledged.incrementAndGet();
                            acknowledgedLines.addAndGet(bodies.get(next).events());
                            // paced, so the kills land while batches are still being sent however fast this machine is
                            ServeProcess.pause(PACE_MS);
                        } else if (answer == null || answer.statusCode() == 503) {
                            retries.incrementAndGet();
                            pending.add(next);
                            ServeProcess.pause(50);
                        } else {
                            unexpected.add(answer.statusCode() + " " + answer.body());
                        }
                    }
                    return null;
                });
            }
            SplittableRandom random = new SplittableRandom(9);
            int kills = 0;
            while (kills < KILLS && acknowledged.get() < bodies.size() && unexpected.isEmpty()) {
                Thread.sleep(300 + random.nextInt(900));
                if (acknowledged.get() >= bodies.size()) {
                    break;
                }
                server.get().killHard();
                kills++;
                server.set(ServeProcess.start(data, List.of("-Xmx512m"), serveArguments));
            }
            clients.shutdown();
            assertThat(clients.awaitTermination(5, TimeUnit.MINUTES)).as("clients finished").isTrue();
            assertThat(unexpected).as("answers other than 200 and 503").isEmpty();
            assertThat(kills).as("kills while batches were still being sent").isGreaterThanOrEqualTo(KILLS / 2);
            assertThat(acknowledgedLines.get()).isEqualTo(lines);

            // every batch once more: nothing new may be stored, calls are only re-applied
            for (NdjsonWriter.Body body : bodies) {
                HttpResponse<String> answer = ingest(server.get().base(), crashed.ingest(), body);
                assertThat(answer).isNotNull();
                assertThat(answer.statusCode()).isEqualTo(200);
                JsonNode result = MAPPER.readTree(answer.body());
                long updated = 0;
                for (JsonNode item : result.path("results")) {
                    updated += item.path("status").asText().equals("updated") ? 1 : 0;
                }
                assertThat(result.path("rejected").asInt()).isZero();
                assertThat(result.path("accepted").asLong()).as("stored again on the final retry").isEqualTo(updated);
            }

            try (TestServer reference = TestServer.start(ServerConfig.forTests(TestServer.ADMIN_TOKEN),
                    Clock.systemUTC())) {
                Keys once = setUp(reference.url(""));
                for (NdjsonWriter.Body body : bodies) {
                    assertThat(ingest(reference.url(""), once.ingest(), body).statusCode()).isEqualTo(200);
                }
                int compared = compareReports(generator, endMs, server.get().base(), crashed, reference.url(""), once);
                server.get().stop();
                Map<String, Long> stored = store.storedCounts();
                Map<String, Long> expected = storedCounts(reference.tally().events());
                assertThat(stored).isEqualTo(expected);
                assertThat(stored.get("events") + stored.get("calls")).as("one row per generated event or call")
                        .isEqualTo(distinct.size());
                System.out.printf("kill -9 loop: %d kills, %d retried requests, %d batches (%d events) sent and"
                                + " acknowledged; stored %s, the same as one clean ingest; %d report answers equal%n",
                        kills, retries.get(), bodies.size(), lines, stored, compared);
            }
        } finally {
            server.get().close();
        }
    }

    private int compareReports(EventGenerator generator, long endMs, String crashedBase, Keys crashed,
                               String referenceBase, Keys once) throws Exception {
        ReportRequests requests = new ReportRequests(generator, endMs);
        int compared = 0;
        for (String report : ReportRequests.REPORTS) {
            for (int index = 0; index < REQUESTS_PER_REPORT; index++) {
                ReportRequests.Request request = requests.next(report);
                HttpResponse<String> afterCrashes = http.send(request.toHttp(crashedBase, crashed.platform(),
                        crashed.analytics()), HttpResponse.BodyHandlers.ofString());
                HttpResponse<String> clean = http.send(request.toHttp(referenceBase, once.platform(), once.analytics()),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(clean.statusCode()).as(request.path()).isEqualTo(200);
                assertThat(afterCrashes.statusCode()).as(request.path()).isEqualTo(200);
                assertThat(afterCrashes.body()).as(report + " " + request.path() + " " + request.body())
                        .isEqualTo(clean.body());
                compared++;
            }
        }
        return compared;
    }

    /** The stored rows of the stopped server's file; its rollups must agree with them. */
    private static Map<String, Long> storedCounts(Path data) {
        DuckDbDatabase database = DuckDbDatabase.open(data);
        try (DuckDbEventStore store = new DuckDbEventStore(database)) {
            assertThat(store.checkRollups(false).differences()).allSatisfy((table, differing) ->
                    assertThat(differing).as(table).isZero());
            return storedCounts(store);
        } finally {
            database.close();
        }
    }

    private static Map<String, Long> storedCounts(EventStore store) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : new String[] {"events", "calls"}) {
            // rows(…) leaves out what a store keeps but no report may read (superseded call states on ClickHouse)
            RawTable raw = table.equals("events") ? RawTable.EVENTS : RawTable.CALLS;
            counts.put(table, store.query(new SqlBuilder().append("SELECT count(*) AS n FROM " + store.rows(raw) + "1 = 1")
                    .build()).get(0).longValue("n"));
        }
        return counts;
    }

    /** The answer, or null when the server did not answer (killed, or not started yet). */
    private HttpResponse<String> ingest(String base, String key, NdjsonWriter.Body body) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base + "/v1/events"))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/x-ndjson")
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException dropped) {
            return null;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private record Keys(String ingest, String platform, Map<String, String> analytics) {
    }

    private Keys setUp(String base) throws Exception {
        Map<String, String> analytics = new LinkedHashMap<>();
        for (String tenant : EventGenerator.TENANTS) {
            ServeProcess.admin(base, "/admin/tenants", "{\"id\":\"" + tenant + "\",\"name\":\"" + tenant + "\"}");
            analytics.put(tenant, ServeProcess.admin(base, "/admin/api-keys", "{\"tenant_id\":\"" + tenant
                    + "\",\"name\":\"reports\",\"scopes\":[\"analytics:read\",\"members:read\"]}").path("key").asText());
        }
        String ingest = ServeProcess.admin(base, "/admin/api-keys", "{\"name\":\"ingest\",\"scopes\":[\"events:write\"]}")
                .path("key").asText();
        String platform = ServeProcess.admin(base, "/admin/api-keys",
                "{\"name\":\"platform\",\"scopes\":[\"analytics:read\",\"super-admin\"]}").path("key").asText();
        return new Keys(ingest, platform, analytics);
    }

}
