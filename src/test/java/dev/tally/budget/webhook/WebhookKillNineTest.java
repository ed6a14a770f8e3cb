package dev.tally.budget.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.http.Json;
import dev.tally.testing.ServeProcess;
import dev.tally.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server killed with SIGKILL after a crossing was decided and its first attempt refused, but
 * before the delivery went through: restarted on the same data directory, it delivers the same
 * notification (same {@code webhook-id}, same body), once, and decides nothing again.
 */
class WebhookKillNineTest {
    @TempDir
    Path directory;

    @Test
    void aDecidedNotificationSurvivesAKillAndIsDeliveredOnceUnderItsId() throws Exception {
        Path data = directory.resolve("data");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.plan(500);
            String webhookId;
            try (ServeProcess first = ServeProcess.start(data, List.of())) {
                String base = first.base();
                ServeProcess.admin(base, "/admin/tenants", "{\"id\": \"acme\", \"name\": \"Acme\"}");
                String writer = ServeProcess.admin(base, "/admin/api-keys",
                        "{\"tenant_id\": \"acme\", \"name\": \"w\", \"scopes\": [\"events:write\"]}").path("key").asText();
                JsonNode webhook = ServeProcess.admin(base, "/admin/webhooks", "{\"tenant_id\": \"acme\", \"url\": \""
                        + receiver.url() + "\", \"events\": [\"budget.exhausted\"]}");
                webhookId = webhook.path("id").asText();
                String hook = webhookId;
                receiver.secret(webhook.path("secret").asText());
                ServeProcess.admin(base, "/admin/budgets", "{\"tenant_id\": \"acme\", \"name\": \"stop\","
                        + " \"measure\": \"cost_usd\", \"period\": \"month\", \"limit\": 1, \"thresholds\": [1]}");
                ingest(base, writer, "{\"id\": \"f1\", \"type\": \"fee\", \"time\": \"" + java.time.Instant.now()
                        + "\", \"kind\": \"other\", \"cost_usd\": 1.5}");

                waitUntil("the first attempt, answered 500", () -> receiver.received().size() == 1);
                waitUntil("the refused attempt on record", () -> {
                    try {
                        return get(base, "/admin/webhooks/" + hook + "/deliveries").path("deliveries").path(0)
                                .path("attempts").size() == 1;
                    } catch (Exception notYet) {
                        return false;
                    }
                });
                first.killHard();
            }
            assertThat(receiver.accepted()).as("nothing delivered before the kill").isEmpty();

            try (ServeProcess second = ServeProcess.start(data, List.of())) {
                waitUntil("the delivery after the restart", () -> receiver.accepted().size() == 1);
                // two more sweeps: a notification decided again would be a second delivery
                Thread.sleep(12_000);
                List<WebhookReceiver.Received> received = receiver.received();
                assertThat(receiver.accepted()).hasSize(1);
                assertThat(received).extracting(WebhookReceiver.Received::id).containsOnly(received.get(0).id());
                assertThat(received).extracting(WebhookReceiver.Received::body).containsOnly(received.get(0).body());
                assertThat(received).allMatch(WebhookReceiver.Received::signatureValid);
                assertThat(Json.MAPPER.readTree(received.get(0).body()).path("type").asText()).isEqualTo("budget.exhausted");
                JsonNode deliveries = get(second.base(), "/admin/webhooks/" + webhookId + "/deliveries").path("deliveries");
                assertThat(deliveries).hasSize(1);
                assertThat(deliveries.path(0).path("state").asText()).isEqualTo("succeeded");
                // the attempt refused before the kill is still on record: the outbox is the store's, not memory's
                assertThat(deliveries.path(0).path("attempts")).extracting(attempt -> attempt.path("status_code").asInt())
                        .containsExactly(500, 200);
            }
        }
    }

    private static void ingest(String base, String key, String body) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base
                + "/v1/events")).header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(response.body()).path("accepted").asInt()).isEqualTo(1);
    }

    private static JsonNode get(String base, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path))
                .header("X-Admin-Token", TestServer.ADMIN_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body());
    }

    private static void waitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("not within 90 s: " + what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
