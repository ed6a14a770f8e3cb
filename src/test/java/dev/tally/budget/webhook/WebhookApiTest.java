package dev.tally.budget.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.app.ServerConfig;
import dev.tally.http.Json;
import dev.tally.testing.ClickHouseCluster;
import dev.tally.testing.MutableClock;
import dev.tally.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Budget webhooks through real servers and a real, flaky receiver: every threshold reached in a
 * period is one delivery with one {@code webhook-id}, signed as Standard Webhooks has it, retried
 * through timeouts and errors, sent once across a restart, and a new period in the budget's own
 * time zone says {@code budget.reset}.
 */
class WebhookApiTest {
    /** Late on the last day of March in UTC; New York's March has four and a half hours left. */
    private static final Instant NOW = Instant.parse("2026-03-31T23:30:00Z");
    private MutableClock clock;
    private TestServer server;
    private WebhookReceiver receiver;

    @BeforeEach
    void start() throws IOException {
        clock = new MutableClock(NOW);
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        receiver.close();
    }

    private HttpResponse<String> admin(String method, String path, String body) {
        return server.send(method, path, body, "X-Admin-Token", TestServer.ADMIN_TOKEN,
                "Content-Type", "application/json");
    }

    private JsonNode created(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return TestServer.json(response);
    }

    /** A webhook of the tenant on the receiver, hearing every event; the receiver learns its secret. */
    private String webhook(String tenantId) {
        JsonNode webhook = created(admin("POST", "/admin/webhooks", Json.MAPPER.createObjectNode()
                .put("tenant_id", tenantId).put("url", receiver.url()).set("events", Json.MAPPER.valueToTree(
                        List.of("budget.threshold_crossed", "budget.exhausted", "budget.reset"))).toString()));
        String secret = webhook.path("secret").asText();
        assertThat(secret).matches("whsec_[A-Za-z0-9+/]{32,}={0,2}");
        receiver.secret(secret);
        return webhook.path("id").asText();
    }

    private String budget(String body) {
        return created(admin("POST", "/admin/budgets", body)).path("id").asText();
    }

    private JsonNode deliveries(String webhookId) {
        HttpResponse<String> response = admin("GET", "/admin/webhooks/" + webhookId + "/deliveries", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestServer.json(response).path("deliveries");
    }

    private static void waitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("not within 60 s: " + what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static String fee(String id, String time, String usd) {
        return "{\"id\": \"" + id + "\", \"type\": \"fee\", \"time\": \"" + time + "\", \"kind\": \"other\","
                + " \"cost_usd\": " + usd + "}";
    }

    @Test
    void aCrossingIsOneSignedDeliveryRetriedThroughATimeoutAndA500() throws InterruptedException {
        server = TestServer.start(clock);
        server.tally().webhooks().deliverer().timeout(Duration.ofSeconds(1));
        server.createTenant("acme", "Acme");
        String writer = server.createKey("acme", "events:write");
        String webhookId = webhook("acme");
        String budgetId = budget("""
                {"tenant_id": "acme", "name": "Monthly", "measure": "cost_usd", "period": "month", "limit": 10,
                 "thresholds": [0.5, 1]}""");
        receiver.plan(WebhookReceiver.HANG, 500);

        server.ingest(writer, fee("f1", "2026-03-31T20:00:00Z", "6"));
        waitUntil("the attempt that times out", () -> deliveries(webhookId).path(0).path("attempts").size() == 1);
        JsonNode timedOut = deliveries(webhookId).path(0);
        assertThat(timedOut.path("state").asText()).isEqualTo("pending");
        assertThat(timedOut.path("attempts").path(0).path("status_code").isNull()).isTrue();
        assertThat(timedOut.path("attempts").path(0).path("error").asText()).contains("no answer");
        assertThat(timedOut.path("next_attempt_at").asText()).as("5 s after the first attempt")
                .isEqualTo(NOW.plusSeconds(5).toString());

        clock.advance(Duration.ofSeconds(5));
        waitUntil("the attempt answered 500", () -> deliveries(webhookId).path(0).path("attempts").size() == 2);
        assertThat(deliveries(webhookId).path(0).path("attempts").path(1).path("status_code").asInt()).isEqualTo(500);
        clock.advance(Duration.ofSeconds(10));
        waitUntil("the attempt answered 200",
                () -> deliveries(webhookId).path(0).path("state").asText().equals("succeeded"));

        List<WebhookReceiver.Received> received = receiver.received();
        assertThat(received).hasSize(3);
        assertThat(received).extracting(WebhookReceiver.Received::id).containsOnly(timedOut.path("id").asText());
        assertThat(received).allMatch(WebhookReceiver.Received::signatureValid, "signed with the webhook's secret");
        assertThat(received).extracting(WebhookReceiver.Received::contentType).containsOnly("application/json");
        assertThat(received).extracting(WebhookReceiver.Received::body).as("every attempt sends the same bytes")
                .containsOnly(received.get(0).body());
        assertThat(received.get(2).timestamp()).isEqualTo(Long.toString(NOW.plusSeconds(15).getEpochSecond()));
        assertThat(receiver.accepted()).hasSize(1);

        JsonNode body = parse(received.get(0).body());
        assertThat(body.path("type").asText()).isEqualTo("budget.threshold_crossed");
        assertThat(body.path("timestamp").asText()).isEqualTo(NOW.toString());
        JsonNode data = body.path("data");
        assertThat(data.path("budget_id").asText()).isEqualTo(budgetId);
        assertThat(data.path("tenant_id").asText()).isEqualTo("acme");
        assertThat(data.path("name").asText()).isEqualTo("Monthly");
        assertThat(data.path("measure").asText()).isEqualTo("cost_usd");
        assertThat(data.path("threshold").decimalValue()).isEqualByComparingTo("0.5");
        assertThat(data.path("spent").decimalValue()).isEqualByComparingTo("6");
        assertThat(data.path("limit").decimalValue()).isEqualByComparingTo("10");
        assertThat(data.path("period_start").asText()).isEqualTo("2026-03-01T00:00Z");
        assertThat(data.path("period_end").asText()).isEqualTo("2026-04-01T00:00Z");
        JsonNode succeeded = deliveries(webhookId).path(0);
        assertDocumented("WebhookDelivery", succeeded);
        assertDocumented("WebhookAttempt", succeeded.path("attempts").path(0));
        assertDocumented("WebhookEvent", succeeded.path("payload"));
        assertDocumented("WebhookEvent/data", succeeded.path("payload").path("data"));
        JsonNode attempts = succeeded.path("attempts");
        assertThat(attempts).extracting(attempt -> attempt.path("status_code").asInt()).containsExactly(0, 500, 200);
        assertThat(attempts.path(2).path("latency_ms").asLong()).isGreaterThanOrEqualTo(0);

        server.ingest(writer, fee("f2", "2026-03-31T21:00:00Z", "4.5"));
        waitUntil("the exhausted delivery", () -> receiver.accepted().size() == 2);
        JsonNode exhausted = parse(receiver.accepted().get(1).body());
        assertThat(exhausted.path("type").asText()).isEqualTo("budget.exhausted");
        assertThat(exhausted.path("data").path("threshold").decimalValue()).isEqualByComparingTo("1");
        assertThat(exhausted.path("data").path("spent").decimalValue()).isEqualByComparingTo("10.5");

        // a revision takes spending below both thresholds, a late event takes it over them again: nothing is
        // taken back, nothing is sent twice
        server.ingest(writer, fee("f1", "2026-03-31T20:00:00Z", "0.25").replace("}", ", \"revision\": 2}"));
        HttpResponse<String> lowered = server.getWithKey("/v1/budgets", server.createKey("acme", "analytics:read"));
        assertThat(TestServer.json(lowered).path("budgets").path(0).path("spent").decimalValue())
                .as("below both thresholds").isEqualByComparingTo("4.75");
        clock.advance(Duration.ofSeconds(6));
        Thread.sleep(2_500);
        server.ingest(writer, fee("f3", "2026-03-30T20:00:00Z", "7"));
        clock.advance(Duration.ofSeconds(6));
        Thread.sleep(2_500);
        assertThat(receiver.accepted()).hasSize(2);
        assertThat(deliveries(webhookId)).hasSize(2);
        assertThat(deliveries(webhookId)).extracting(delivery -> delivery.path("state").asText())
                .containsOnly("succeeded");
    }

    @Test
    void aRetryAskedForSendsTheSameDeliveryAgain() throws InterruptedException {
        server = TestServer.start(clock);
        server.createTenant("acme", "Acme");
        String writer = server.createKey("acme", "events:write");
        String webhookId = webhook(null);
        budget("""
                {"tenant_id": "acme", "name": "Daily", "measure": "cost_usd", "period": "day", "limit": 1,
                 "thresholds": [1]}""");
        server.ingest(writer, fee("f1", "2026-03-31T20:00:00Z", "1"));
        waitUntil("delivered", () -> receiver.accepted().size() == 1);
        String deliveryId = receiver.accepted().get(0).id();
        waitUntil("recorded", () -> deliveries(webhookId).path(0).path("state").asText().equals("succeeded"));

        HttpResponse<String> retried = admin("POST", "/admin/webhooks/" + webhookId + "/deliveries/" + deliveryId
                + "/retry", null);
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(202);
        waitUntil("sent again", () -> receiver.accepted().size() == 2);
        assertThat(receiver.accepted().get(1).id()).isEqualTo(deliveryId);
        assertThat(receiver.accepted().get(1).body()).isEqualTo(receiver.accepted().get(0).body());
        assertThat(admin("POST", "/admin/webhooks/" + webhookId + "/deliveries/msg_none/retry", null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void aDecisionBeforeARestartIsDeliveredOnceAfterIt(@TempDir Path directory) throws InterruptedException {
        ServerConfig config = ServerConfig.forTests(TestServer.ADMIN_TOKEN);
        config = "clickhouse".equals(System.getProperty(TestServer.STORE_PROPERTY))
                ? config.withClickHouse(ClickHouseCluster.shared().newDatabase()) : config.withDataDirectory(directory);
        server = TestServer.start(config, clock);
        server.createTenant("acme", "Acme");
        String writer = server.createKey("acme", "events:write");
        String webhookId = webhook("acme");
        budget("""
                {"tenant_id": "acme", "name": "Monthly", "measure": "cost_usd", "period": "month", "limit": 2,
                 "thresholds": [0.5]}""");
        receiver.plan(503);
        server.ingest(writer, fee("f1", "2026-03-31T20:00:00Z", "1.5"));
        waitUntil("the first attempt, refused", () -> receiver.received().size() == 1);
        waitUntil("recorded", () -> deliveries(webhookId).path(0).path("attempts").size() == 1);
        server.close();

        server = TestServer.start(config, clock);
        clock.advance(Duration.ofSeconds(5));
        waitUntil("delivered after the restart", () -> receiver.accepted().size() == 1);
        clock.advance(Duration.ofSeconds(6));
        Thread.sleep(2_500);
        assertThat(receiver.received()).extracting(WebhookReceiver.Received::id).as("one webhook-id")
                .containsOnly(receiver.received().get(0).id());
        assertThat(receiver.accepted()).hasSize(1);
        JsonNode delivery = deliveries(webhookId);
        assertThat(delivery).hasSize(1);
        assertThat(delivery.path(0).path("state").asText()).isEqualTo("succeeded");
        assertThat(delivery.path(0).path("attempts")).extracting(attempt -> attempt.path("status_code").asInt())
                .containsExactly(503, 200);
    }

    @Test
    void aNewMonthInTheBudgetsTimeZoneSaysReset() throws InterruptedException {
        server = TestServer.start(clock);
        server.createTenant("acme", "Acme");
        String writer = server.createKey("acme", "events:write");
        String webhookId = webhook("acme");
        budget("""
                {"tenant_id": "acme", "name": "New York month", "measure": "cost_usd", "period": "month",
                 "timezone": "America/New_York", "limit": 10, "thresholds": [0.5]}""");
        server.ingest(writer, fee("f1", "2026-03-31T23:00:00Z", "6"));
        waitUntil("the March crossing", () -> receiver.accepted().size() == 1);
        assertThat(parse(receiver.accepted().get(0).body()).path("data").path("period_start").asText())
                .isEqualTo("2026-03-01T00:00-05:00");

        clock.advance(Duration.ofMinutes(90));
        // 01:00 UTC is April in UTC but still March in New York: nothing resets
        Thread.sleep(2_500);
        assertThat(receiver.accepted()).hasSize(1);

        clock.advance(Duration.ofHours(3));
        waitUntil("the reset", () -> receiver.accepted().size() == 2);
        JsonNode reset = parse(receiver.accepted().get(1).body());
        assertThat(reset.path("type").asText()).isEqualTo("budget.reset");
        assertThat(reset.path("data").path("threshold").isNull()).isTrue();
        assertThat(reset.path("data").path("spent").decimalValue()).isEqualByComparingTo("0");
        assertThat(reset.path("data").path("period_start").asText()).isEqualTo("2026-04-01T00:00-04:00");
        assertThat(reset.path("data").path("period_end").asText()).isEqualTo("2026-05-01T00:00-04:00");
        clock.advance(Duration.ofSeconds(6));
        Thread.sleep(2_500);
        assertThat(deliveries(webhookId)).as("one crossing, one reset").hasSize(2);
    }

    @Test
    void everyBadFieldIsA400NamingItAndTheSecretIsShownOnce() {
        server = TestServer.start(clock);
        server.createTenant("acme", "Acme");
        String events = "\"events\": [\"budget.exhausted\"]";
        assertField(admin("POST", "/admin/webhooks", "{" + events + "}"), 400, "url");
        assertField(admin("POST", "/admin/webhooks", "{\"url\": \"ftp://example.com/x\", " + events + "}"), 400, "url");
        assertField(admin("POST", "/admin/webhooks", "{\"url\": \"/relative\", " + events + "}"), 400, "url");
        assertField(admin("POST", "/admin/webhooks", "{\"url\": \"http://exa mple.com\", " + events + "}"), 400, "url");
        assertField(admin("POST", "/admin/webhooks", "{\"url\": 5, " + events + "}"), 400, "url");
        assertField(admin("POST", "/admin/webhooks", "{\"url\": \"https://example.com\"}"), 400, "events");
        assertField(admin("POST", "/admin/webhooks", "{\"url\": \"https://example.com\", \"events\": []}"), 400,
                "events");
        assertField(admin("POST", "/admin/webhooks", "{\"url\": \"https://example.com\", \"events\": [\"budget.spent\"]}"),
                400, "events");
        assertField(admin("POST", "/admin/webhooks", "{\"url\": \"https://example.com\", \"event\": [], " + events + "}"),
                400, "event");
        assertField(admin("POST", "/admin/webhooks", "{\"tenant_id\": \"nobody\", \"url\": \"https://example.com\", "
                + events + "}"), 404, "tenant_id");
        assertThat(server.send("POST", "/admin/webhooks", "{\"url\": \"https://example.com\", " + events + "}")
                .statusCode()).isEqualTo(401);

        JsonNode created = created(admin("POST", "/admin/webhooks", "{\"url\": \"https://example.com/in\", " + events
                + "}"));
        assertDocumented("WebhookCreated", created);
        assertThat(created.path("tenant_id").isNull()).as("every tenant's").isTrue();
        assertThat(admin("DELETE", "/admin/webhooks/" + created.path("id").asText(), null).statusCode()).isEqualTo(204);
        String id = webhook("acme");
        JsonNode shown = TestServer.json(admin("GET", "/admin/webhooks/" + id, null));
        assertDocumented("Webhook", shown);
        assertThat(shown.path("url").asText()).isEqualTo(receiver.url());
        assertThat(shown.path("events")).extracting(JsonNode::asText)
                .containsExactly("budget.exhausted", "budget.reset", "budget.threshold_crossed");
        assertThat(shown.has("secret")).as("the secret is shown only at creation").isFalse();
        assertThat(TestServer.json(admin("GET", "/admin/webhooks", null)).path("webhooks"))
                .extracting(webhook -> webhook.path("id").asText()).containsExactly(id);
        assertThat(admin("DELETE", "/admin/webhooks/" + id, null).statusCode()).isEqualTo(204);
        assertField(admin("GET", "/admin/webhooks/" + id, null), 404, "id");
        assertField(admin("DELETE", "/admin/webhooks/" + id, null), 404, "id");
        assertField(admin("GET", "/admin/webhooks/" + id + "/deliveries", null), 404, "id");
    }

    /** The answer has the fields the API document gives its schema ({@code Schema/property} for a nested object). */
    private void assertDocumented(String schema, JsonNode answer) {
        JsonNode document = TestServer.json(server.get("/openapi.json"));
        String[] path = schema.split("/");
        JsonNode properties = document.path("components").path("schemas").path(path[0]).path("properties");
        for (int index = 1; index < path.length; index++) {
            properties = properties.path(path[index]).path("properties");
        }
        Set<String> documented = new TreeSet<>();
        properties.fieldNames().forEachRemaining(documented::add);
        Set<String> real = new TreeSet<>();
        answer.fieldNames().forEachRemaining(real::add);
        assertThat(real).as(schema + " answer " + answer).isEqualTo(documented);
    }

    private static JsonNode parse(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException notJson) {
            throw new AssertionError(body, notJson);
        }
    }

    private static void assertField(HttpResponse<String> response, int status, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(TestServer.json(response).path("field").asText()).as(response.body()).isEqualTo(field);
    }
}
