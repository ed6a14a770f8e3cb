package dev.tally.ingest;

import static dev.tally.testing.StoredEvents.count;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.testing.StoredEvents;
import dev.tally.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retrying a batch is always safe: a second later, concurrently, or after a restart. */
class IngestIdempotencyApiTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-15T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void retriedBatchIsStoredOnce() {
        try (TestServer server = TestServer.start(CLOCK)) {
            server.createTenant("acme", "Acme");
            String key = server.createKey("acme", "events:write");
            String batch = StoredEvents.chatBatch("r-", 3);
            server.ingest(key, batch);

            JsonNode retry = server.ingest(key, batch);

            assertThat(retry.path("accepted").asInt()).isZero();
            assertThat(retry.path("duplicates").asInt()).isEqualTo(3);
            assertThat(retry.path("results").get(2).path("status").asText()).isEqualTo("duplicate");
            assertThat(retry.path("results").get(2).path("id").asText()).isEqualTo("r-2");
            assertThat(count(server.tally().events(), "events", "acme")).isEqualTo(3);
        }
    }

    @Test
    void concurrentCopiesOfABatchAreStoredOnce() throws Exception {
        int threads = 8;
        int events = 500;
        try (TestServer server = TestServer.start(CLOCK)) {
            server.createTenant("acme", "Acme");
            String key = server.createKey("acme", "events:write");
            String batch = StoredEvents.chatBatch("c-", events);
            CountDownLatch ready = new CountDownLatch(threads);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<HttpResponse<String>>> responses = new ArrayList<>();
                for (int thread = 0; thread < threads; thread++) {
                    responses.add(pool.submit(() -> {
                        ready.countDown();
                        ready.await();
                        return server.post("/v1/events", batch, "Authorization", "Bearer " + key);
                    }));
                }
                int accepted = 0;
                int duplicates = 0;
                for (Future<HttpResponse<String>> future : responses) {
                    HttpResponse<String> response = future.get();
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                    accepted += TestServer.json(response).path("accepted").asInt();
                    duplicates += TestServer.json(response).path("duplicates").asInt();
                }
                assertThat(accepted).isEqualTo(events);
                assertThat(duplicates).isEqualTo(events * (threads - 1));
            } finally {
                pool.shutdownNow();
            }
            assertThat(count(server.tally().events(), "events", "acme")).isEqualTo(events);
        }
    }

    @Test
    void retryAfterARestartIsStoredOnce(@TempDir Path directory) {
        String batch = StoredEvents.chatBatch("restart-", 20);
        String key;
        try (TestServer first = TestServer.start(CLOCK, directory)) {
            first.createTenant("acme", "Acme");
            key = first.createKey("acme", "events:write");
            assertThat(first.ingest(key, batch).path("accepted").asInt()).isEqualTo(20);
        }

        try (TestServer second = TestServer.start(CLOCK, directory)) {
            JsonNode retry = second.ingest(key, batch);

            assertThat(retry.path("accepted").asInt()).isZero();
            assertThat(retry.path("duplicates").asInt()).isEqualTo(20);
            assertThat(count(second.tally().events(), "events", "acme")).isEqualTo(20);
            assertThat(second.ingest(key, StoredEvents.chatBatch("after-", 2)).path("accepted").asInt())
                    .isEqualTo(2);
        }
    }
}
