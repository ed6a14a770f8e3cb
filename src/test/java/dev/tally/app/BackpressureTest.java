package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.store.duckdb.DuckDbDatabase;
import dev.tally.store.duckdb.DuckDbEventStore;
import dev.tally.store.sql.SqlBuilder;
import dev.tally.testing.ServeProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Twenty bodies of the largest size at once, on a server with a 512 MiB heap: each is stored and
 * acknowledged, refused as too large, or refused with 503 and Retry-After before it is read; the
 * health check answers throughout, and exactly the acknowledged events are stored.
 */
class BackpressureTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int BODIES = 20;
    private static final int MAX_BODY = 16 * 1024 * 1024;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void twentyLargestBodiesAtOnceAreStoredOrRefusedAndHealthAnswersThroughout(@TempDir Path directory)
            throws Exception {
        Path data = directory.resolve("data");
        AtomicLong acknowledged = new AtomicLong();
        List<String> answers = new CopyOnWriteArrayList<>();
        List<Long> healthMillis = new CopyOnWriteArrayList<>();
        try (ServeProcess server = ServeProcess.start(data, List.of("-Xmx512m"))) {
            String key = setUp(server.base());
            AtomicBoolean flooding = new AtomicBoolean(true);
            Thread health = new Thread(() -> {
                while (flooding.get()) {
                    long started = System.nanoTime();
                    try {
                        int status = http.send(HttpRequest.newBuilder(URI.create(server.base() + "/api/v1/health"))
                                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString())
                                .statusCode();
                        healthMillis.add(status == 200 ? (System.nanoTime() - started) / 1_000_000 : -status);
                    } catch (IOException | InterruptedException noAnswer) {
                        healthMillis.add(-1L);
                    }
                    ServeProcess.pause(100);
                }
            });
            health.start();
            ExecutorService clients = Executors.newFixedThreadPool(BODIES);
            List<Future<?>> sent = new ArrayList<>();
            for (int body = 0; body < BODIES; body++) {
                int number = body;
                sent.add(clients.submit(() -> {
                    byte[] bytes = largestBody("b" + number + "-");
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create(server.base() + "/v1/events")).timeout(Duration.ofMinutes(2))
                            .header("Authorization", "Bearer " + key)
                            .header("Content-Type", "application/x-ndjson")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    String retryAfter = response.headers().firstValue("Retry-After").orElse("");
                    answers.add(response.statusCode() + (retryAfter.isEmpty() ? "" : " retry-after"));
                    if (response.statusCode() == 200) {
                        acknowledged.addAndGet(MAPPER.readTree(response.body()).path("accepted").asLong());
                    }
                    return null;
                }));
            }
            for (Future<?> body : sent) {
                try {
                    body.get();
                } catch (java.util.concurrent.ExecutionException connectionDropped) {
                    // a refused body's connection is closed before the client finished sending: no answer
                    answers.add("no answer: " + connectionDropped.getCause().getMessage());
                }
            }
            clients.shutdown();
            flooding.set(false);
            health.join();
            server.stop();
        }
        System.out.printf("backpressure: %d bodies of %d MiB on a 512 MiB heap: answers %s; %d events"
                + " acknowledged; health answered %d times, slowest %d ms%n", BODIES, MAX_BODY >> 20, answers,
                acknowledged.get(), healthMillis.size(), healthMillis.stream().mapToLong(Long::longValue).max()
                        .orElse(0));
        assertThat(answers).hasSize(BODIES);
        assertThat(answers).allSatisfy(answer -> assertThat(answer)
                .matches("200|413|503 retry-after|no answer: .*"));
        assertThat(answers).contains("200");
        assertThat(healthMillis).isNotEmpty().allSatisfy(millis -> assertThat(millis).isBetween(0L, 5_000L));
        assertThat(stored(data)).as("stored events, all acknowledged").isEqualTo(acknowledged.get());
    }

    /** NDJSON chat events up to just under the body limit. */
    private static byte[] largestBody(String prefix) {
        StringBuilder body = new StringBuilder(MAX_BODY);
        for (int index = 0; ; index++) {
            String line = "{\"id\":\"" + prefix + index + "\",\"type\":\"chat\",\"time\":\"2026-03-01T10:00:00Z\","
                    + "\"member_id\":\"m1\"}\n";
            if (body.length() + line.length() > MAX_BODY - 16) {
                return body.toString().getBytes(StandardCharsets.UTF_8);
            }
            body.append(line);
        }
    }

    private static long stored(Path data) {
        DuckDbDatabase database = DuckDbDatabase.open(data);
        try (DuckDbEventStore store = new DuckDbEventStore(database)) {
            return store.query(new SqlBuilder().append("SELECT count(*) AS n FROM events").build()).get(0)
                    .longValue("n");
        } finally {
            database.close();
        }
    }

    private String setUp(String base) throws Exception {
        ServeProcess.admin(base, "/admin/tenants", "{\"id\":\"acme\",\"name\":\"Acme\"}");
        return ServeProcess.admin(base, "/admin/api-keys", "{\"tenant_id\":\"acme\",\"name\":\"ingest\",\"scopes\":[\"events:write\"]}")
                .path("key").asText();
    }

}
