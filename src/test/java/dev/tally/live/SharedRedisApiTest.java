package dev.tally.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.app.ServerConfig;
import dev.tally.testing.RedisServer;
import dev.tally.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two Tally servers, each with its own store, sharing one Redis: one set of limits, one view. */
class SharedRedisApiTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-03-15T12:00:00Z"), ZoneOffset.UTC);
    private RedisServer redis;
    private TestServer first;
    private TestServer second;

    @BeforeEach
    void setUp() {
        redis = RedisServer.start();
        ServerConfig config = ServerConfig.forTests(TestServer.ADMIN_TOKEN).withRedisUrl(redis.url())
                .withMaxConcurrentCalls(50);
        first = TestServer.start(config, clock);
        second = TestServer.start(config, clock);
    }

    @AfterEach
    void tearDown() {
        first.close();
        second.close();
        redis.close();
    }

    /** Both servers know the tenant (each has its own metadata store) under the same key. */
    private List<String> gatewayKeys() {
        List<String> keys = new ArrayList<>();
        for (TestServer server : List.of(first, second)) {
            server.createTenant("acme", "Acme");
            assertThat(server.send("PATCH", "/admin/tenants/acme", "{\"instructions\": \"Be kind\"}",
                    "X-Admin-Token", TestServer.ADMIN_TOKEN).statusCode()).isEqualTo(200);
            keys.add(server.createKey("acme", new String[] {"events:write"}));
        }
        return keys;
    }

    @Test
    void aThousandConcurrentAdmissionsOverTwoServersAdmitExactlyTheLimit() throws Exception {
        List<String> keys = gatewayKeys();
        ExecutorService pool = Executors.newFixedThreadPool(64);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int call = 0; call < 1_000; call++) {
            TestServer server = call % 2 == 0 ? first : second;
            String key = keys.get(call % 2);
            String body = "{\"event_id\":\"e" + call + "\",\"call_id\":\"c" + call + "\"}";
            answers.add(pool.submit(() -> {
                go.await();
                return server.post("/v1/calls/admit", body, "Authorization", "Bearer " + key);
            }));
        }
        go.countDown();
        int accepted = 0;
        int rejected = 0;
        for (Future<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.get();
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            String decision = TestServer.json(response).path("decision").asText();
            if (decision.equals("accepted")) {
                accepted++;
            } else {
                assertThat(TestServer.json(response).path("reason").asText()).isEqualTo("capacity");
                rejected++;
            }
        }
        pool.shutdown();
        assertThat(accepted).isEqualTo(50);
        assertThat(rejected).isEqualTo(950);
        for (TestServer server : List.of(first, second)) {
            JsonNode metrics = TestServer.json(server.get("/api/v1/metrics/live", "X-Admin-Token", TestServer.ADMIN_TOKEN));
            assertThat(metrics.path("accepted_calls").asLong()).isEqualTo(50);
            assertThat(metrics.path("rejected_calls_capacity").asLong()).isEqualTo(950);
            assertThat(TestServer.json(server.get("/api/v1/calls", "X-Admin-Token", TestServer.ADMIN_TOKEN))
                    .path("calls")).hasSize(50);
        }
        // a call admitted through the first server is ended through the second
        String admittedId = null;
        for (int call = 0; call < 1_000 && admittedId == null; call += 2) {
            if (answers.get(call).get().body().contains("accepted")) {
                admittedId = "c" + call;
            }
        }
        HttpResponse<String> ended = second.post("/v1/calls/" + admittedId + "/end",
                "{\"event_id\":\"x1\",\"outcome\":\"completed\"}", "Authorization", "Bearer " + keys.get(1));
        assertThat(ended.statusCode()).as(ended.body()).isEqualTo(200);
        HttpResponse<String> retried = first.post("/v1/calls/" + admittedId + "/end",
                "{\"event_id\":\"x1\",\"outcome\":\"completed\"}", "Authorization", "Bearer " + keys.get(0));
        assertThat(retried.body()).isEqualTo(ended.body());
        JsonNode metrics = TestServer.json(first.get("/api/v1/metrics/live", "X-Admin-Token", TestServer.ADMIN_TOKEN));
        assertThat(metrics.path("ended_calls").asLong()).isEqualTo(1);
        assertThat(TestServer.json(first.get("/api/v1/metrics/capacity/debug", "X-Admin-Token", TestServer.ADMIN_TOKEN))
                .path("global").path("held_slots").asLong()).isEqualTo(49);
    }

    @Test
    void aRedisOutageIsA503NotAWrongCount() {
        List<String> keys = gatewayKeys();
        assertThat(first.post("/v1/calls/admit", "{\"event_id\":\"e1\",\"call_id\":\"c1\"}",
                "Authorization", "Bearer " + keys.get(0)).statusCode()).isEqualTo(200);
        redis.stop();
        HttpResponse<String> refused = second.post("/v1/calls/admit", "{\"event_id\":\"e2\",\"call_id\":\"c2\"}",
                "Authorization", "Bearer " + keys.get(1));
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(TestServer.json(refused).path("error").asText()).isEqualTo("live_state_unavailable");
        assertThat(TestServer.json(refused).path("reason").asText()).isEqualTo("live state unavailable; retry shortly");
        assertThat(first.get("/api/v1/metrics/live", "X-Admin-Token", TestServer.ADMIN_TOKEN).statusCode()).isEqualTo(503);
        assertThat(first.get("/api/v1/calls", "X-Admin-Token", TestServer.ADMIN_TOKEN).statusCode()).isEqualTo(503);
    }
}
