package dev.tally.budget.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.app.ServerConfig;
import dev.tally.testing.ClickHouseCluster;
import dev.tally.testing.MutableClock;
import dev.tally.testing.RedisServer;
import dev.tally.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two Tally instances sharing one ClickHouse database both measure every budget and both see the
 * crossing: one notification is decided, one delivery sent, the receiver takes it once.
 */
class WebhookTwoInstancesTest {

    @Test
    void twoInstancesDecideAndSendOneDeliveryPerCrossing() throws IOException, InterruptedException {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-31T12:00:00Z"));
        // as two instances run in production: one ClickHouse database and one Redis for live state
        RedisServer redis = RedisServer.start();
        ServerConfig config = ServerConfig.forTests(TestServer.ADMIN_TOKEN)
                .withClickHouse(ClickHouseCluster.shared().newDatabase()).withRedisUrl(redis.url());
        try (redis;
             WebhookReceiver receiver = new WebhookReceiver();
             TestServer first = TestServer.start(config, clock);
             TestServer second = TestServer.start(config, clock)) {
            first.createTenant("acme", "Acme");
            String writer = first.createKey("acme", "events:write");
            HttpResponse<String> webhook = first.send("POST", "/admin/webhooks", "{\"url\": \"" + receiver.url()
                    + "\", \"events\": [\"budget.exhausted\", \"budget.threshold_crossed\"]}",
                    "X-Admin-Token", TestServer.ADMIN_TOKEN);
            assertThat(webhook.statusCode()).as(webhook.body()).isEqualTo(201);
            receiver.secret(TestServer.json(webhook).path("secret").asText());
            String webhookId = TestServer.json(webhook).path("id").asText();
            HttpResponse<String> budget = second.send("POST", "/admin/budgets", """
                    {"tenant_id": "acme", "name": "Daily", "measure": "cost_usd", "period": "day", "limit": 2,
                     "thresholds": [0.5, 1]}""", "X-Admin-Token", TestServer.ADMIN_TOKEN);
            assertThat(budget.statusCode()).as(budget.body()).isEqualTo(201);

            first.ingest(writer, """
                    {"id": "f1", "type": "fee", "time": "2026-03-31T11:00:00Z", "kind": "other", "cost_usd": 2}""");
            // both sweep every budget: each measures the crossing and tries to decide it
            for (int sweep = 0; sweep < 3; sweep++) {
                clock.advance(Duration.ofSeconds(6));
                Thread.sleep(2_000);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (receiver.accepted().size() < 2) {
                assertThat(System.nanoTime()).as("both crossings delivered").isLessThan(deadline);
                Thread.sleep(100);
            }
            Thread.sleep(2_000);

            assertThat(receiver.accepted()).hasSize(2);
            assertThat(receiver.received()).hasSize(2);
            assertThat(receiver.accepted()).allMatch(WebhookReceiver.Received::signatureValid);
            assertThat(receiver.accepted()).extracting(WebhookReceiver.Received::id).doesNotHaveDuplicates();
            HttpResponse<String> listed = second.send("GET", "/admin/webhooks/" + webhookId + "/deliveries", null,
                    "X-Admin-Token", TestServer.ADMIN_TOKEN);
            JsonNode deliveries = TestServer.json(listed).path("deliveries");
            assertThat(deliveries).hasSize(2);
            assertThat(deliveries).extracting(delivery -> delivery.path("type").asText())
                    .containsExactlyInAnyOrder("budget.threshold_crossed", "budget.exhausted");
            assertThat(deliveries).allSatisfy(delivery -> assertThat(delivery.path("attempts")).hasSize(1));
        }
    }
}
