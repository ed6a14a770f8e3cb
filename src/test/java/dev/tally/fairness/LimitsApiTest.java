package dev.tally.fairness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.testing.MutableClock;
import dev.tally.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each tenant's ingest and reports are limited apart, by rate and by requests in flight, with
 * 429, {@code Retry-After} and the RateLimit headers; another tenant, and the other kind of
 * request, are not held back; limits are set per tenant and per key.
 */
class LimitsApiTest {
    private static final String REPORT = "/v1/analytics/spend?from=2026-03-01&to=2026-03-31";
    private static final String EVENT = "[{\"id\": \"%s\", \"type\": \"llm\", \"time\": \"2026-03-10T10:00:00Z\","
            + " \"model\": \"gpt-4o\", \"input_tokens\": 10, \"output_tokens\": 1}]";
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(new MutableClock(Instant.parse("2026-03-31T12:00:00Z")));
        server.createTenant("acme", "Acme");
        server.createTenant("globex", "Globex");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> admin(String method, String path, String body) {
        return server.send(method, path, body, "X-Admin-Token", TestServer.ADMIN_TOKEN, "Content-Type", "application/json");
    }

    private HttpResponse<String> ingest(String key, String id) {
        return server.send("POST", "/v1/events", EVENT.formatted(id), "Authorization", "Bearer " + key);
    }

    @Test
    void pastItsRateATenantsReportsAre429AndNothingElseIs() {
        HttpResponse<String> set = admin("PUT", "/admin/tenants/acme/limits", "{\"reports_per_second\": 2}");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        assertThat(TestServer.json(set).path("source").asText()).isEqualTo("tenant");
        String acme = server.createKey("acme", "analytics:read", "events:write");
        String globex = server.createKey("globex", "analytics:read");
        // at once: a refusal is held for its Retry-After, long enough for the bucket to refill between sequential requests
        List<HttpResponse<String>> answers = concurrently(10, () -> server.getWithKey(REPORT, acme));
        HttpResponse<String> admitted = answers.stream().filter(answer -> answer.statusCode() == 200).findFirst()
                .orElseThrow();
        assertThat(admitted.headers().firstValue("RateLimit-Policy")).hasValue("\"reports\";q=2;w=1");
        List<HttpResponse<String>> refused = answers.stream().filter(answer -> answer.statusCode() == 429).toList();
        assertThat(refused).as("a bucket of 2 a second, 10 sent at once").hasSizeGreaterThanOrEqualTo(6);
        HttpResponse<String> first = refused.get(0);
        assertThat(first.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(first.headers().firstValue("RateLimit")).hasValue("\"reports\";r=0;t=1");
        assertThat(first.body()).contains("rate_limited").contains("reports limit (2 per second)");

        assertThat(server.getWithKey(REPORT, globex).statusCode()).as("another tenant").isEqualTo(200);
        assertThat(ingest(acme, "i1").statusCode()).as("the same tenant's ingest").isEqualTo(200);
        assertThat(server.getWithKey(REPORT, "not-a-key").statusCode()).as("no key: the route's 401").isEqualTo(401);

        assertThat(admin("DELETE", "/admin/tenants/acme/limits", null).statusCode()).isEqualTo(200);
        assertThat(TestServer.json(admin("GET", "/admin/tenants/acme/limits", null)).path("reports_per_second").asInt())
                .isEqualTo(2_000);
        for (int request = 0; request < 10; request++) {
            assertThat(server.getWithKey(REPORT, acme).statusCode()).as("back to the defaults").isEqualTo(200);
        }
    }

    @Test
    void aTenantsRequestsInFlightAreCountedAndFreed() throws Exception {
        admin("PUT", "/admin/tenants/acme/limits", "{\"ingest_in_flight\": 1}");
        String acme = server.createKey("acme", "events:write");
        String globex = server.createKey("globex", "events:write");
        StringBuilder large = new StringBuilder("[");
        for (int event = 0; event < 3_000; event++) {
            large.append(event == 0 ? "" : ",").append(EVENT.formatted("bulk-" + event), 1, EVENT.formatted("bulk-" + event).length() - 1);
        }
        String body = large.append(']').toString();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(24);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int client = 0; client < 24; client++) {
            answers.add(pool.submit(() -> {
                go.await();
                return server.send("POST", "/v1/events", body, "Authorization", "Bearer " + acme);
            }));
        }
        go.countDown();
        int accepted = 0;
        int refused = 0;
        for (java.util.concurrent.Future<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.get();
            if (response.statusCode() == 429) {
                refused++;
                assertThat(response.body()).contains("ingest-in-flight limit (1 requests at once)");
                assertThat(response.headers().firstValue("RateLimit-Policy")).hasValue("\"ingest-in-flight\";q=1;w=1");
            } else {
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                accepted++;
            }
        }
        pool.shutdown();
        assertThat(accepted).isPositive();
        assertThat(refused).as("24 large batches at once, one at a time allowed").isPositive();
        assertThat(ingest(acme, "after").statusCode()).as("every place freed once answered").isEqualTo(200);
        assertThat(ingest(globex, "other").statusCode()).as("another tenant").isEqualTo(200);
    }

    @Test
    void aKeyHasItsOwnRate() {
        admin("PUT", "/admin/tenants/acme/limits", "{\"key_per_second\": 1}");
        String first = server.createKey("acme", "analytics:read");
        String second = server.createKey("acme", "analytics:read");
        long refused = 0;
        for (HttpResponse<String> answer : concurrently(6, () -> server.getWithKey(REPORT, first))) {
            refused += answer.statusCode() == 429 ? 1 : 0;
            if (answer.statusCode() == 429) {
                assertThat(answer.body()).contains("reports-per-key limit");
            }
        }
        assertThat(refused).isGreaterThanOrEqualTo(4);
        assertThat(server.getWithKey(REPORT, second).statusCode()).as("the tenant's other key").isEqualTo(200);
    }

    @Test
    void aRefusalIsAnsweredWhenItMayBeRetriedAndHoldsNoThreadMeanwhile() throws Exception {
        admin("PUT", "/admin/tenants/acme/limits", "{\"reports_per_second\": 1}");
        String acme = server.createKey("acme", "analytics:read");
        String globex = server.createKey("globex", "analytics:read");
        assertThat(server.getWithKey(REPORT, acme).statusCode()).isEqualTo(200);
        // more refused requests at once than the server has threads (250): held on threads, they would starve globex
        int flood = 400;
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url(REPORT)))
                .header("Authorization", "Bearer " + acme).build();
        long sent = System.nanoTime();
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (int index = 0; index < flood; index++) {
            held.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        Thread.sleep(300); // the flood reaches the server and is refused
        HttpResponse<String> other = server.getWithKey(REPORT, globex);
        long pendingWhenAnswered = held.stream().filter(answer -> !answer.isDone()).count();
        assertThat(other.statusCode()).as("another tenant, while the refusals are held").isEqualTo(200);
        assertThat(pendingWhenAnswered).as("refusals still held when the other tenant was answered")
                .isGreaterThan(250);
        for (java.util.concurrent.CompletableFuture<HttpResponse<String>> answer : held) {
            HttpResponse<String> response = answer.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(response.statusCode()).as(response.body()).isIn(200, 429);
            if (response.statusCode() == 429) {
                assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
                assertThat(response.body()).contains("rate_limited");
            }
        }
        assertThat(held.stream().filter(answer -> answer.join().statusCode() == 429).count())
                .as("a bucket of 1 a second").isGreaterThan(flood - 10);
        assertThat((System.nanoTime() - sent) / 1_000_000).as("every refusal held its Retry-After's second")
                .isGreaterThanOrEqualTo(900);
    }

    /** Sends {@code count} requests at the same moment and returns their answers in order. */
    private static List<HttpResponse<String>> concurrently(int count,
            java.util.concurrent.Callable<HttpResponse<String>> request) {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(count);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        try {
            List<java.util.concurrent.Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int index = 0; index < count; index++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return request.call();
                }));
            }
            go.countDown();
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (java.util.concurrent.Future<HttpResponse<String>> answer : answers) {
                responses.add(answer.get());
            }
            return responses;
        } catch (Exception failed) {
            throw new IllegalStateException(failed);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void limitsAreValidatedAndOnlyTheAdminSetsThem() {
        for (String bad : List.of("{\"reports_per_second\": -1}", "{\"ingest_in_flight\": 2000000}",
                "{\"reports_per_second\": \"5\"}", "{\"burst\": 3}")) {
            HttpResponse<String> refused = admin("PUT", "/admin/tenants/acme/limits", bad);
            assertThat(refused.statusCode()).as(bad + " " + refused.body()).isEqualTo(400);
        }
        assertThat(admin("PUT", "/admin/tenants/acme/limits", "{\"burst\": 3}").body()).contains("\"burst\"");
        assertThat(admin("GET", "/admin/tenants/nobody/limits", null).statusCode()).isEqualTo(404);
        assertThat(server.send("GET", "/admin/tenants/acme/limits", null).statusCode()).isEqualTo(401);
        JsonNode defaults = TestServer.json(admin("GET", "/admin/tenants/acme/limits", null));
        assertThat(defaults.path("source").asText()).isEqualTo("defaults");
        assertThat(defaults.path("ingest_per_second").asInt()).isEqualTo(5_000);
    }
}
