package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.testing.ClickHouseCluster;
import dev.tally.testing.RedisServer;
import dev.tally.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/**
 * Readiness names every dependency with its state: the embedded store, each ClickHouse endpoint,
 * Redis when live state is shared; a dependency that stops answering makes the instance not ready
 * while liveness stays up.
 */
class ReadinessApiTest {

    @Test
    void anEmbeddedStoreIsReadyOnItsOwn() {
        try (TestServer server = TestServer.start(ServerConfig.forTests(TestServer.ADMIN_TOKEN), Clock.systemUTC())) {
            HttpResponse<String> ready = server.get("/api/v1/ready");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            JsonNode body = TestServer.json(ready);
            assertThat(body.path("status").asText()).isEqualTo("ready");
            assertThat(body.path("checks").path("duckdb").path("state").asText()).isEqualTo("up");
            assertThat(body.path("checks").has("redis")).as("no Redis configured").isFalse();
        }
    }

    @Test
    void redisThatStopsAnsweringMakesTheInstanceNotReadyButAlive() {
        RedisServer redis = RedisServer.start();
        try (TestServer server = TestServer.start(ServerConfig.forTests(TestServer.ADMIN_TOKEN)
                .withRedisUrl(redis.url()), Clock.systemUTC())) {
            JsonNode up = TestServer.json(server.get("/api/v1/ready"));
            assertThat(up.path("checks").path("redis").path("state").asText()).as(up.toString()).isEqualTo("up");
            assertThat(up.path("status").asText()).isEqualTo("ready");

            redis.stop();
            HttpResponse<String> down = server.get("/api/v1/ready");
            assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
            JsonNode body = TestServer.json(down);
            assertThat(body.path("status").asText()).isEqualTo("not_ready");
            assertThat(body.path("checks").path("redis").path("state").asText()).isEqualTo("down");
            assertThat(body.path("checks").path("duckdb").path("state").asText()).isEqualTo("up");
            assertThat(server.get("/api/v1/health").statusCode()).as("liveness").isEqualTo(200);
        } finally {
            redis.close();
        }
    }

    @Test
    void everyClickHouseEndpointIsChecked() {
        try (TestServer server = TestServer.start(ServerConfig.forTests(TestServer.ADMIN_TOKEN)
                .withClickHouse(ClickHouseCluster.shared().newDatabase()), Clock.systemUTC())) {
            // ready once the known ids are loaded, in the background as the server starts
            long deadline = System.nanoTime() + 30_000_000_000L;
            HttpResponse<String> ready = server.get("/api/v1/ready");
            while (ready.statusCode() != 200 && System.nanoTime() < deadline) {
                assertThat(TestServer.json(ready).path("checks").path("clickhouse known ids").path("state").asText())
                        .as(ready.body()).isEqualTo("down");
                ready = server.get("/api/v1/ready");
            }
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            JsonNode checks = TestServer.json(ready).path("checks");
            java.util.List<String> names = new java.util.ArrayList<>();
            checks.fieldNames().forEachRemaining(names::add);
            assertThat(names).as(ready.body()).hasSize(3).contains("clickhouse known ids")
                    .filteredOn(name -> name.startsWith("clickhouse 127.0.0.1:")).hasSize(2);
            checks.forEach(check -> assertThat(check.path("state").asText()).isEqualTo("up"));
        }
    }
}
