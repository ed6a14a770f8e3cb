package dev.tally.prices;

import static dev.tally.prices.PriceRequests.admin;
import static dev.tally.prices.PriceRequests.assertField;
import static dev.tally.testing.StoredEvents.row;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.store.EventStore;
import dev.tally.store.sql.Row;
import dev.tally.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pricing at ingest through the API, and the admin price endpoints. */
class PriceApiTest {
    /** 1,000 input tokens of which 400 cached, 500 output. */
    private static final String LLM = """
            {"id": "%s", "type": "llm", "time": "2026-03-15T10:00:00Z", "provider": "openai", "model": "%s",
             "input_tokens": 1000, "cached_input_tokens": 400, "output_tokens": 500%s}""";
    private static TestServer server;
    private static EventStore store;

    @BeforeAll
    static void start() {
        server = TestServer.start(Clock.fixed(Instant.parse("2026-03-15T12:00:00Z"), ZoneOffset.UTC));
        store = server.tally().events();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String tenantWithKey(String tenantId) {
        server.createTenant(tenantId, tenantId);
        return server.createKey(tenantId, "events:write");
    }


    @Test
    void llmEventIsPricedWithTheDefaultBook() {
        String key = tenantWithKey("default-book");

        server.ingest(key, LLM.formatted("l1", "gpt-4o-mini", ""));

        Row event = row(store, "events", "default-book", "l1");
        // gpt-4o-mini: input $0.15, cached $0.075, output $0.60 per million; multiplier 0.1.
        // 600 uncached × 0.15 = 90 µ$, 400 cached × 0.075 = 30 µ$, 500 output × 0.60 = 300 µ$: 420 µ$.
        assertThat(event.longValue("cost_nanos")).isEqualTo(420_000);
        assertThat(event.longValue("input_cost_nanos")).isEqualTo(120_000);
        assertThat(event.longValue("output_cost_nanos")).isEqualTo(300_000);
        assertThat(event.string("cost_source")).isEqualTo("computed");
        // 1,500 tokens ÷ 1,000 × 0.1 = 0.15 credits.
        assertThat(event.longValue("credits_micros")).isEqualTo(150_000);
    }

    @Test
    void tenantOverrideAppliesToLaterEventsAndNeverToStoredOnes() {
        String key = tenantWithKey("override");
        server.ingest(key, LLM.formatted("before", "gpt-4o-mini", ""));

        HttpResponse<String> added = admin(server, "POST", "/admin/prices", """
                {"tenant_id": "override", "provider": "openai", "model": "gpt-4o-mini", "effective_from": "2026-01-01",
                 "input_per_million": 1, "output_per_million": 2, "credit_multiplier": 1}""");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        server.ingest(key, LLM.formatted("after", "gpt-4o-mini", ""));

        assertThat(row(store, "events", "override", "before").longValue("cost_nanos")).isEqualTo(420_000);
        // No cached rate in the override: all 1,000 input tokens at $1 (1,000 µ$), 500 output at $2 (1,000 µ$).
        Row after = row(store, "events", "override", "after");
        assertThat(after.longValue("cost_nanos")).isEqualTo(2_000_000);
        assertThat(after.longValue("credits_micros")).isEqualTo(1_500_000);
        String otherKey = tenantWithKey("not-overridden");
        server.ingest(otherKey, LLM.formatted("other", "gpt-4o-mini", ""));
        assertThat(row(store, "events", "not-overridden", "other").longValue("cost_nanos")).isEqualTo(420_000);
    }

    @Test
    void unpricedModelIsStoredAtZero() {
        String key = tenantWithKey("unpriced");

        server.ingest(key, LLM.formatted("u1", "in-house-model-7", ""));

        Row event = row(store, "events", "unpriced", "u1");
        assertThat(event.longValue("cost_nanos")).isZero();
        assertThat(event.string("cost_source")).isEqualTo("unpriced");
        assertThat(event.longValue("credits_micros")).isZero();
    }

    @Test
    void reportedCostWins() {
        String key = tenantWithKey("reported");

        server.ingest(key, LLM.formatted("r1", "gpt-4o-mini", ", \"cost_usd\": 0.0021"));

        Row event = row(store, "events", "reported", "r1");
        assertThat(event.longValue("cost_nanos")).isEqualTo(2_100_000);
        assertThat(event.string("cost_source")).isEqualTo("reported");
        assertThat(event.longValue("input_cost_nanos") + event.longValue("output_cost_nanos")).isEqualTo(2_100_000);
        assertThat(event.longValue("credits_micros")).isEqualTo(150_000);
    }

    @Test
    void negativeRateIs400NamingTheField() {
        HttpResponse<String> response = admin(server, "POST", "/admin/prices", """
                {"provider": "openai", "model": "gpt-neg", "effective_from": "2026-01-01",
                 "input_per_million": -1, "output_per_million": 2, "credit_multiplier": 1}""");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(TestServer.json(response).path("field").asText()).isEqualTo("input_per_million");
    }

    @Test
    void badEntriesAre400NamingTheField() {
        assertField(admin(server, "POST", "/admin/prices", """
                {"provider": "openai", "model": "gpt-x", "effective_from": "March 1",
                 "input_per_million": 1, "output_per_million": 2, "credit_multiplier": 1}"""), 400, "effective_from");
        assertField(admin(server, "POST", "/admin/prices", """
                {"provider": "openai", "model": "gpt-x", "effective_from": "2026-01-01",
                 "input_per_million": "1", "output_per_million": 2, "credit_multiplier": 1}"""), 400,
                "input_per_million");
        assertField(admin(server, "POST", "/admin/prices", """
                {"provider": "openai", "model": "gpt-x", "effective_from": "2026-01-01",
                 "input_per_million": 1, "output_per_million": 2}"""), 400, "credit_multiplier");
        assertField(admin(server, "POST", "/admin/prices", """
                {"provider": "openai", "model": "gpt-*x", "effective_from": "2026-01-01",
                 "input_per_million": 1, "output_per_million": 2, "credit_multiplier": 1}"""), 400, "model");
    }

    @Test
    void duplicateEntryIs409() {
        String entry = """
                {"provider": "acme-ai", "model": "dup-model", "effective_from": "2026-02-01",
                 "input_per_million": 1, "output_per_million": 2, "credit_multiplier": 1}""";
        assertThat(admin(server, "POST", "/admin/prices", entry).statusCode()).isEqualTo(201);

        assertField(admin(server, "POST", "/admin/prices", entry), 409, "effective_from");
    }

    @Test
    void bundledDefaultCannotBeDeletedButAnAddedEntryCan() {
        assertField(admin(server, "DELETE", "/admin/prices/openai/gpt-4o-mini@2024-07-18", null), 400,
                "id");
        assertThat(server.tally().prices().book().entries()).anyMatch(entry ->
                entry.id().equals("openai/gpt-4o-mini@2024-07-18"));

        HttpResponse<String> added = admin(server, "POST", "/admin/prices", """
                {"provider": "acme-ai", "model": "gone-model", "effective_from": "2026-02-01",
                 "input_per_million": 1, "output_per_million": 2, "credit_multiplier": 1}""");
        String id = TestServer.json(added).path("id").asText();
        assertThat(admin(server, "DELETE", "/admin/prices/" + id, null).statusCode()).isEqualTo(200);
        assertField(admin(server, "DELETE", "/admin/prices/" + id, null), 404, "id");
        assertThat(TestServer.json(admin(server, "GET", "/admin/prices", null)).path("prices").toString())
                .doesNotContain(id);
    }
}
