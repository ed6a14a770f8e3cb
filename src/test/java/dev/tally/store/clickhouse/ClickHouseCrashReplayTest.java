package dev.tally.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.app.ServerConfig;
import dev.tally.store.sql.RawTable;
import dev.tally.testing.ClickHouseCluster;
import dev.tally.testing.StoredEvents;
import dev.tally.testing.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once across a crash: a real {@code tally serve --store clickhouse} process stores a batch
 * and dies before it can answer (the test hook halts it right after the store write), the client
 * never hears back and retries the same batch against a new server on the same cluster. Nothing
 * is lost and nothing is counted twice.
 */
class ClickHouseCrashReplayTest {
    private static final int EVENTS = 40;
    private static final long TOKENS_EACH = 125;

    @Test
    void aBatchWrittenByAServerThatDiedBeforeAnsweringIsStoredOnceWhenRetried(@TempDir Path dataDirectory)
            throws Exception {
        ClickHouseConfig store = ClickHouseCluster.shared().newDatabase();
        Clock clock = Clock.systemUTC();
        try (TestServer survivor = TestServer.start(ServerConfig.forTests(TestServer.ADMIN_TOKEN).withClickHouse(store),
                clock)) {
            survivor.createTenant("acme", "Acme");
            String key = survivor.createKey("acme", new String[] {"events:write", "analytics:read"});
            String batch = batch(clock.instant().minus(1, ChronoUnit.HOURS));

            int port = freePort();
            Process doomed = startServeProcess(store, port, dataDirectory);
            try {
                awaitHealthy(port, doomed);
                HttpClient http = HttpClient.newHttpClient();
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/events"))
                        .header("Authorization", "Bearer " + key)
                        .POST(HttpRequest.BodyPublishers.ofString(batch)).build();
                boolean answered;
                try {
                    http.send(request, HttpResponse.BodyHandlers.ofString());
                    answered = true;
                } catch (IOException connectionDropped) {
                    answered = false;
                }
                assertThat(answered).as("the server must die before answering").isFalse();
                assertThat(doomed.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(doomed.exitValue()).isEqualTo(137);
            } finally {
                doomed.destroyForcibly();
            }
            // The write did happen: the acknowledgement is what was lost.
            assertThat(StoredEvents.count(survivor.tally().events(), "events", "acme")).isEqualTo(EVENTS);

            JsonNode retry = survivor.ingest(key, batch);

            assertThat(retry.path("accepted").asInt()).isZero();
            assertThat(retry.path("duplicates").asInt()).isEqualTo(EVENTS);
            assertThat(StoredEvents.count(survivor.tally().events(), "events", "acme")).isEqualTo(EVENTS);
            long tokens = survivor.tally().events().query(new dev.tally.store.sql.SqlBuilder()
                    .append("SELECT sum(input_tokens) AS tokens FROM " + survivor.tally().events().rows(RawTable.EVENTS)
                            + "tenant_id = ").value("acme").build())
                    .get(0).longValue("tokens");
            assertThat(tokens).isEqualTo(EVENTS * TOKENS_EACH);
        }
    }

    private static String batch(Instant time) {
        StringBuilder json = new StringBuilder("[");
        for (int index = 0; index < EVENTS; index++) {
            json.append(index == 0 ? "" : ",").append("{\"id\":\"llm-").append(index)
                    .append("\",\"type\":\"llm\",\"time\":\"").append(time)
                    .append("\",\"provider\":\"openai\",\"model\":\"gpt-4o-mini\",\"input_tokens\":").append(TOKENS_EACH)
                    .append(",\"output_tokens\":0}");
        }
        return json.append(']').toString();
    }

    private static Process startServeProcess(ClickHouseConfig store, int port, Path dataDirectory) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(),
                "-D" + ClickHouseEventStore.HALT_AFTER_WRITE_PROPERTY + "=true",
                "-cp", System.getProperty("java.class.path"), "dev.tally.Main", "serve",
                "--port", String.valueOf(port), "--data-dir", dataDirectory.toString(),
                "--admin-token", TestServer.ADMIN_TOKEN, "--store", "clickhouse",
                "--clickhouse-url", ClickHouseCluster.shared().url(),
                "--clickhouse-database", store.database(), "--clickhouse-cluster", store.cluster()));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dataDirectory.resolve("serve.log").toFile()).start();
    }

    private static void awaitHealthy(int port, Process process) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("tally serve exited early").isTrue();
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new AssertionError("tally serve did not start on port " + port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
