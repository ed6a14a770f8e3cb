package dev.tally.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.store.duckdb.DuckDbDatabase;
import dev.tally.store.duckdb.DuckDbEventStore;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.SqlBuilder;
import dev.tally.testing.StoredEvents;
import dev.tally.testing.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping under load: every batch answered 200 is durable, and no client sees a 500. */
class GracefulShutdownApiTest {
    private static final int CLIENTS = 4;
    private static final int BATCH = 50;

    @Test
    void everyAcknowledgedBatchSurvivesShutdown(@TempDir Path directory) throws Exception {
        TestServer server = TestServer.start(Clock.fixed(Instant.parse("2026-03-15T12:00:00Z"), ZoneOffset.UTC),
                directory);
        server.createTenant("acme", "Acme");
        String key = server.createKey("acme", "events:write");
        ConcurrentLinkedQueue<String> acknowledgedPrefixes = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
        AtomicBoolean stopped = new AtomicBoolean();
        URI events = URI.create(server.url("/v1/events"));
        HttpClient http = HttpClient.newHttpClient();
        List<Thread> clients = new ArrayList<>();
        for (int client = 0; client < CLIENTS; client++) {
            int clientNumber = client;
            Thread thread = new Thread(() -> {
                for (int batch = 0; !stopped.get(); batch++) {
                    String prefix = "c" + clientNumber + "-b" + batch + "-";
                    HttpResponse<String> response;
                    try {
                        response = http.send(HttpRequest.newBuilder(events)
                                .header("Authorization", "Bearer " + key)
                                .POST(HttpRequest.BodyPublishers.ofString(StoredEvents.chatBatch(prefix, BATCH)))
                                .build(), HttpResponse.BodyHandlers.ofString());
                    } catch (IOException | InterruptedException connectionClosed) {
                        // the server has stopped listening: this batch was never acknowledged
                        return;
                    }
                    statuses.add(response.statusCode());
                    if (response.statusCode() == 200) {
                        acknowledgedPrefixes.add(prefix);
                    }
                }
            });
            clients.add(thread);
            thread.start();
        }
        while (acknowledgedPrefixes.size() < 10) {
            Thread.sleep(5);
        }

        server.close();
        stopped.set(true);
        for (Thread client : clients) {
            client.join(10_000);
        }

        assertThat(statuses).doesNotContain(500);
        assertThat(statuses).allMatch(status -> status == 200 || status == 503, "200 or 503");
        Set<String> stored = storedIds(directory);
        for (String prefix : acknowledgedPrefixes) {
            for (int index = 0; index < BATCH; index++) {
                assertThat(stored).contains(prefix + index);
            }
        }
        assertThat(stored.size()).isGreaterThanOrEqualTo(acknowledgedPrefixes.size() * BATCH);
    }

    private static Set<String> storedIds(Path directory) {
        DuckDbDatabase database = DuckDbDatabase.open(directory);
        try (DuckDbEventStore store = new DuckDbEventStore(database)) {
            Set<String> ids = new HashSet<>();
            for (Row row : store.query(new SqlBuilder().append("SELECT id FROM events WHERE tenant_id = ")
                    .value("acme").build())) {
                ids.add(row.string("id"));
            }
            return ids;
        } finally {
            database.close();
        }
    }
}
