package dev.tally.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.app.ServerConfig;
import dev.tally.store.ExpiringCache;
import dev.tally.testing.ClickHouseCluster;
import dev.tally.testing.RedisServer;
import dev.tally.testing.StoredEvents;
import dev.tally.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two stateless Tally instances behind one ClickHouse cluster and one Redis: a tenant and key made
 * on one work on the other, a batch sent to both (one after the other, or both at once) is stored
 * once, both serve the same reports, and live calls admitted through either count against one
 * limit and show in one live view.
 *
 * <p>Fixture, tenant acme, 2026-03-10: 10 chats c0…c9 of member m1 through A; 10 llm events l0…l9
 * (provider openai, 1,000 input and 500 output tokens each) through B; the chats again through B
 * (all duplicates); 6 calls (60 s each, agent sales) sent to A and B at the same moment.
 */
class TwoInstancesApiTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-15T12:00:00Z"), ZoneOffset.UTC);
    private static TestServer first;
    private static TestServer second;
    private static RedisServer redis;
    private static String key;

    @BeforeAll
    static void fixture() throws Exception {
        ClickHouseConfig store = ClickHouseCluster.shared().newDatabase();
        redis = RedisServer.start();
        ServerConfig config = ServerConfig.forTests(TestServer.ADMIN_TOKEN).withClickHouse(store)
                .withRedisUrl(redis.url()).withMaxConcurrentCalls(2);
        first = TestServer.start(config, CLOCK);
        second = TestServer.start(config, CLOCK);
        first.createTenant("globex", "Globex");
        assertThat(first.send("PATCH", "/admin/tenants/globex", "{\"instructions\": \"Be kind\"}",
                "X-Admin-Token", TestServer.ADMIN_TOKEN).statusCode()).isEqualTo(200);
        first.createTenant("acme", "Acme");
        key = first.createKey("acme", new String[] {"events:write", "analytics:read", "members:read"});

        first.ingest(key, StoredEvents.chatBatch("c", 10).replace("2026-03-15", "2026-03-10"));
        second.ingest(key, llmBatch());
        JsonNode again = second.ingest(key, StoredEvents.chatBatch("c", 10).replace("2026-03-15", "2026-03-10"));
        assertThat(again.path("duplicates").asInt()).isEqualTo(10);

        String calls = callBatch();
        CompletableFuture<HttpResponse<String>> toFirst = CompletableFuture.supplyAsync(
                () -> first.post("/v1/events", calls, "Authorization", "Bearer " + key));
        CompletableFuture<HttpResponse<String>> toSecond = CompletableFuture.supplyAsync(
                () -> second.post("/v1/events", calls, "Authorization", "Bearer " + key));
        assertThat(toFirst.get().statusCode()).as(toFirst.get().body()).isEqualTo(200);
        assertThat(toSecond.get().statusCode()).as(toSecond.get().body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        second.close();
        first.close();
        redis.close();
    }

    @Test
    void liveCallsThroughEitherInstanceShareOneLimitAndOneView() {
        String gateway = second.createKey("globex", new String[] {"events:write", "analytics:read"});
        assertThat(decision(first, gateway, "a1", "live-1")).isEqualTo("accepted");
        assertThat(decision(second, gateway, "a2", "live-2")).isEqualTo("accepted");
        // the limit of two is shared: the third call is refused whichever instance it reaches
        HttpResponse<String> third = first.post("/v1/calls/admit", "{\"event_id\":\"a3\",\"call_id\":\"live-3\"}",
                "Authorization", "Bearer " + gateway);
        assertThat(TestServer.json(third).path("decision").asText()).as(third.body()).isEqualTo("rejected");
        assertThat(TestServer.json(third).path("reason").asText()).isEqualTo("capacity");

        // admitted through the first, started and ended through the second
        assertThat(second.post("/v1/calls/live-1/start", "{\"event_id\":\"s1\"}", "Authorization", "Bearer " + gateway)
                .statusCode()).isEqualTo(200);
        HttpResponse<String> ended = second.post("/v1/calls/live-1/end",
                "{\"event_id\":\"x1\",\"outcome\":\"completed\"}", "Authorization", "Bearer " + gateway);
        assertThat(ended.statusCode()).as(ended.body()).isEqualTo(200);

        for (TestServer server : List.of(first, second)) {
            JsonNode live = TestServer.json(server.get("/api/v1/metrics/live/globex", "X-Admin-Token",
                    TestServer.ADMIN_TOKEN));
            assertThat(live.path("accepted_calls").asLong()).as(live.toString()).isEqualTo(2);
            assertThat(live.path("rejected_calls_capacity").asLong()).isEqualTo(1);
            assertThat(live.path("ended_calls").asLong()).isEqualTo(1);
            JsonNode spend = TestServer.json(server.getWithKey("/v1/analytics/spend?from=2026-03-15&to=2026-03-15",
                    gateway));
            // the ended call and the one still in progress, each stored once in the shared cluster
            assertThat(spend.toString()).as(spend.toString()).contains("\"total_calls\":2");
        }
    }

    private static String decision(TestServer server, String gateway, String eventId, String callId) {
        HttpResponse<String> admitted = server.post("/v1/calls/admit", "{\"event_id\":\"" + eventId
                + "\",\"call_id\":\"" + callId + "\"}", "Authorization", "Bearer " + gateway);
        assertThat(admitted.statusCode()).as(admitted.body()).isEqualTo(200);
        return TestServer.json(admitted).path("decision").asText();
    }

    @Test
    void aKeyRevokedThroughOneInstanceStopsWorkingOnTheOtherWithinTheCacheAge() throws Exception {
        String doomed = first.createKey("acme", new String[] {"analytics:read"});
        assertThat(second.getWithKey("/v1/analytics/spend", doomed).statusCode()).isEqualTo(200);
        JsonNode keys = TestServer.json(first.get("/admin/api-keys?tenant_id=acme", "X-Admin-Token", TestServer.ADMIN_TOKEN))
                .path("api_keys");
        String id = null;
        for (JsonNode listed : keys) {
            if (doomed.startsWith(listed.path("prefix").asText())) {
                id = listed.path("id").asText();
            }
        }
        assertThat(first.send("DELETE", "/admin/api-keys/" + id, null, "X-Admin-Token", TestServer.ADMIN_TOKEN)
                .statusCode()).isEqualTo(200);
        assertThat(first.getWithKey("/v1/analytics/spend", doomed).statusCode()).isEqualTo(401);
        assertThat(statusWithin(second, "/v1/analytics/spend", doomed, 401, ExpiringCache.DEFAULT_MAX_AGE.multipliedBy(3)))
                .isEqualTo(401);
    }

    private static int statusWithin(TestServer server, String path, String secret, int expected, Duration limit)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        int status = server.getWithKey(path, secret).statusCode();
        while (status != expected && System.nanoTime() < deadline) {
            Thread.sleep(200);
            status = server.getWithKey(path, secret).statusCode();
        }
        return status;
    }

    @Test
    void eachEventIsCountedOnceWhicheverInstanceReads() {
        for (TestServer server : List.of(first, second)) {
            assertThat(StoredEvents.count(server.tally().events(), "events", "acme")).isEqualTo(20);
            assertThat(StoredEvents.count(server.tally().events(), "calls", "acme")).isEqualTo(6);
        }
    }

    @Test
    void bothInstancesServeTheSameReports() {
        List<String> reports = List.of("/v1/analytics/spend?from=2026-03-10&to=2026-03-10",
                "/api/v2/w/acme/reports/ai-usage?start_date=2026-03-10&end_date=2026-03-10",
                "/api/v2/w/acme/members",
                "/api/v2/w/acme/reports/member-usage/m1?start_date=2026-03-10&end_date=2026-03-10");
        for (String report : reports) {
            HttpResponse<String> fromFirst = first.getWithKey(report, key);
            HttpResponse<String> fromSecond = second.getWithKey(report, key);
            assertThat(fromFirst.statusCode()).as(report + " " + fromFirst.body()).isEqualTo(200);
            assertThat(TestServer.json(fromSecond)).as(report).isEqualTo(TestServer.json(fromFirst));
        }
        JsonNode spend = TestServer.json(second.getWithKey(reports.get(0), key));
        assertThat(spend.toString()).contains("\"total_calls\":6");
        JsonNode ai = TestServer.json(first.getWithKey(reports.get(1), key));
        assertThat(ai.path("total_tokens").asLong()).isEqualTo(15_000);
    }

    private static String llmBatch() {
        List<String> events = new ArrayList<>();
        for (int index = 0; index < 10; index++) {
            events.add("{\"id\":\"l" + index + "\",\"type\":\"llm\",\"time\":\"2026-03-10T10:00:00Z\",\"provider\":\"openai\","
                    + "\"model\":\"gpt-4o-mini\",\"input_tokens\":1000,\"output_tokens\":500,\"member_id\":\"m1\"}");
        }
        return "[" + String.join(",", events) + "]";
    }

    private static String callBatch() {
        List<String> events = new ArrayList<>();
        for (int index = 0; index < 6; index++) {
            events.add("{\"id\":\"call" + index + "\",\"type\":\"call\",\"time\":\"2026-03-10T11:00:00Z\","
                    + "\"status\":\"completed\",\"agent_id\":\"sales\",\"ended_at\":\"2026-03-10T11:01:00Z\","
                    + "\"duration_seconds\":60}");
        }
        return "[" + String.join(",", events) + "]";
    }
}
