package dev.tally.report.usage;

import static dev.tally.report.usage.UsageTesting.OTHER_TENANT;
import static dev.tally.report.usage.UsageTesting.TENANT;
import static dev.tally.report.usage.UsageTesting.ok;
import static dev.tally.report.usage.UsageTesting.report;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The AI usage report against a hand-built fixture. Prices (see {@link UsageTesting}): acme 1 credit
 * and beta 2 credits per thousand tokens of every class; ghost is unpriced.
 *
 * <pre>
 * id  time (UTC)            provider model   kind     in (cached) creation out audio in/out  text tokens credits cost USD
 * l1  2026-03-01 10:00      acme     a-chat  chat     1000 (400)  100      500  -            1600        1.6     0.0021
 * l2  2026-03-02 00:00      acme     a-real  realtime  200        -        100  1000/2000     300        3.3     0.0054
 * l3  2026-03-10 23:59:59   beta     b-chat  (none)   1000        -       1000  -            2000        4       0.009
 * l4  2026-03-05 08:00      ghost    g-model chat       50        -         50  -             100        0       0 (unpriced)
 * l5  2026-02-13 00:00      acme     a-chat  chat       10        -          0  -              10        0.01    0.00001
 * l6  2026-02-12 23:59:59   acme     a-chat  chat       10        -         10  -   (the day before the default range)
 * </pre>
 * Messages: 2026-03-01 (two), 2026-02-01 (before the default range). The other tenant has a big
 * acme request and a message inside the range, which must never show.
 */
class AiUsageApiTest {
    private static TestServer server;
    private static String key;

    @BeforeAll
    static void fixture() {
        server = UsageTesting.start();
        key = UsageTesting.key(server, TENANT, "analytics:read", "events:write");
        server.ingest(key, """
                [{"id": "l1", "type": "llm", "time": "2026-03-01T10:00:00Z", "provider": "acme", "model": "a-chat",
                  "kind": "chat", "input_tokens": 1000, "cached_input_tokens": 400, "cache_creation_input_tokens": 100,
                  "output_tokens": 500},
                 {"id": "l2", "type": "llm", "time": "2026-03-02T00:00:00Z", "provider": "acme", "model": "a-real",
                  "kind": "realtime", "input_tokens": 200, "output_tokens": 100, "input_audio_tokens": 1000,
                  "output_audio_tokens": 2000},
                 {"id": "l3", "type": "llm", "time": "2026-03-10T23:59:59Z", "provider": "beta", "model": "b-chat",
                  "input_tokens": 1000, "output_tokens": 1000},
                 {"id": "l4", "type": "llm", "time": "2026-03-05T08:00:00Z", "provider": "ghost", "model": "g-model",
                  "kind": "chat", "input_tokens": 50, "output_tokens": 50},
                 {"id": "l5", "type": "llm", "time": "2026-02-13T00:00:00Z", "provider": "acme", "model": "a-chat",
                  "kind": "chat", "input_tokens": 10},
                 {"id": "l6", "type": "llm", "time": "2026-02-12T23:59:59Z", "provider": "acme", "model": "a-chat",
                  "kind": "chat", "input_tokens": 10, "output_tokens": 10},
                 {"id": "m1", "type": "message", "time": "2026-03-01T10:00:00Z", "chat_id": "c1", "role": "user"},
                 {"id": "m2", "type": "message", "time": "2026-03-01T10:00:05Z", "chat_id": "c1", "role": "assistant"},
                 {"id": "m3", "type": "message", "time": "2026-02-01T10:00:00Z", "chat_id": "c0", "role": "user"}]""");
        String other = UsageTesting.key(server, OTHER_TENANT, "events:write");
        server.ingest(other, """
                [{"id": "x1", "type": "llm", "time": "2026-03-03T10:00:00Z", "provider": "acme", "model": "secret-model",
                  "input_tokens": 900000, "output_tokens": 900000},
                 {"id": "x2", "type": "message", "time": "2026-03-03T10:00:00Z", "chat_id": "x", "role": "user"}]""");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void defaultsToTheLastThirtyDaysThroughToday() {
        JsonNode report = ok(server, report(TENANT, "ai-usage"), key);

        assertThat(report.path("start_date").asText()).isEqualTo("2026-02-13");
        assertThat(report.path("end_date").asText()).isEqualTo("2026-03-15");
        assertThat(report.path("total_messages").asLong()).isEqualTo(2);
        assertThat(report.path("total_tokens").asLong()).isEqualTo(1600 + 300 + 2000 + 100 + 10);
        assertThat(report.path("total_cached_tokens").asLong()).isEqualTo(400);
        assertThat(report.path("total_audio_input_tokens").asLong()).isEqualTo(1000);
        assertThat(report.path("total_audio_output_tokens").asLong()).isEqualTo(2000);
        assertThat(report.path("total_credits").decimalValue()).isEqualByComparingTo("8.91");
        assertThat(report.path("unpriced_requests").asLong()).isEqualTo(1);
        assertThat(report.path("total_cost_usd").decimalValue()).isEqualByComparingTo("0.01651");
    }

    @Test
    void breaksDownByProviderMostCreditsFirst() {
        JsonNode providers = ok(server, report(TENANT, "ai-usage"), key).path("by_provider");

        assertThat(providers).hasSize(3);
        assertProvider(providers.get(0), "acme", 3, 1910, "4.91", "0.00751");
        assertProvider(providers.get(1), "beta", 1, 2000, "4", "0.009");
        assertProvider(providers.get(2), "ghost", 1, 100, "0", "0");
    }

    @Test
    void splitsChatAndRealtimeCountingAMissingKindAsChat() {
        JsonNode types = ok(server, report(TENANT, "ai-usage"), key).path("by_type");

        assertThat(types).hasSize(2);
        assertThat(types.get(0).path("type").asText()).isEqualTo("chat");
        assertThat(types.get(0).path("requests").asLong()).isEqualTo(4);
        assertThat(types.get(0).path("total_tokens").asLong()).isEqualTo(1600 + 2000 + 100 + 10);
        assertThat(types.get(0).path("total_credits").decimalValue()).isEqualByComparingTo("5.61");
        assertThat(types.get(1).path("type").asText()).isEqualTo("realtime");
        assertThat(types.get(1).path("requests").asLong()).isEqualTo(1);
        assertThat(types.get(1).path("total_tokens").asLong()).isEqualTo(300);
        assertThat(types.get(1).path("total_credits").decimalValue()).isEqualByComparingTo("3.3");
    }

    @Test
    void ranksModelsByCredits() {
        JsonNode models = ok(server, report(TENANT, "ai-usage"), key).path("top_models");

        assertThat(names(models)).containsExactly("b-chat", "a-real", "a-chat", "g-model");
        JsonNode chat = models.get(2);
        assertThat(chat.path("provider").asText()).isEqualTo("acme");
        assertThat(chat.path("requests").asLong()).isEqualTo(2);
        assertThat(chat.path("total_tokens").asLong()).isEqualTo(1610);
        assertThat(chat.path("total_credits").decimalValue()).isEqualByComparingTo("1.61");
    }

    @Test
    void aSingleDayEndsAtTheNextUtcMidnight() {
        JsonNode first = ok(server, report(TENANT, "ai-usage") + "?start_date=2026-03-01&end_date=2026-03-01", key);
        assertThat(first.path("total_tokens").asLong()).as("l2 at 03-02 00:00 is the next day").isEqualTo(1600);
        assertThat(first.path("total_messages").asLong()).isEqualTo(2);

        JsonNode tenth = ok(server, report(TENANT, "ai-usage") + "?start_date=2026-03-10&end_date=2026-03-10", key);
        assertThat(tenth.path("total_tokens").asLong()).as("l3 at 23:59:59").isEqualTo(2000);
        assertThat(tenth.path("total_messages").asLong()).isZero();

        JsonNode edge = ok(server, report(TENANT, "ai-usage") + "?start_date=2026-02-12&end_date=2026-02-12", key);
        assertThat(edge.path("total_tokens").asLong()).as("only l6").isEqualTo(20);
    }

    @Test
    void anEmptyRangeHasZerosAndBothTypes() {
        JsonNode report = ok(server, report(TENANT, "ai-usage") + "?start_date=2026-01-01&end_date=2026-01-05", key);

        assertThat(report.path("total_messages").asLong()).isZero();
        assertThat(report.path("total_tokens").asLong()).isZero();
        assertThat(report.path("total_credits").asText()).isEqualTo("0");
        assertThat(report.path("total_cost_usd").asText()).isEqualTo("0");
        assertThat(report.path("unpriced_requests").asLong()).isZero();
        assertThat(report.path("by_provider")).isEmpty();
        assertThat(report.path("top_models")).isEmpty();
        assertThat(report.path("by_type")).hasSize(2);
        assertThat(report.path("by_type").get(0).path("requests").asLong()).isZero();
    }

    @Test
    void anotherTenantsDataNeverAppears() {
        JsonNode report = ok(server, report(TENANT, "ai-usage") + "?start_date=2026-03-03&end_date=2026-03-03", key);

        assertThat(report.path("total_tokens").asLong()).isZero();
        assertThat(report.path("total_messages").asLong()).isZero();
        assertThat(names(ok(server, report(TENANT, "ai-usage"), key).path("top_models"))).doesNotContain("secret-model");
    }

    @Test
    void exportsTheBreakdownsAsCsv() {
        HttpResponse<String> response = server.getWithKey(report(TENANT, "ai-usage") + "?format=csv", key);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        List<String> lines = response.body().lines().toList();
        assertThat(lines.get(0))
                .isEqualTo("section,provider,type,model,requests,total_tokens,total_credits,total_cost_usd");
        assertThat(lines).contains("by_provider,acme,,,3,1910,4.91,0.00751", "by_type,,realtime,,1,300,3.3,",
                "top_models,beta,,b-chat,1,2000,4,");
        assertThat(lines).hasSize(1 + 3 + 2 + 4);
    }

    @Test
    void limitsTopModelsToTenBreakingTiesByModelName() {
        try (TestServer own = UsageTesting.start()) {
            String ownKey = UsageTesting.key(own, TENANT, "analytics:read", "events:write");
            StringBuilder events = new StringBuilder("[");
            for (int index = 1; index <= 9; index++) {
                // m0N has N × 100 tokens: 0.N credits
                events.append("""
                        {"id": "e%d", "type": "llm", "time": "2026-03-02T10:00:00Z", "provider": "acme", "model": "m0%d",
                         "input_tokens": %d},""".formatted(index, index, index * 100));
            }
            events.append("""
                    {"id": "tie-b", "type": "llm", "time": "2026-03-02T10:00:00Z", "provider": "acme", "model": "tie-b",
                     "input_tokens": 50},
                    {"id": "tie-a", "type": "llm", "time": "2026-03-02T10:00:00Z", "provider": "acme", "model": "tie-a",
                     "input_tokens": 50}]""");
            own.ingest(ownKey, events.toString());

            JsonNode models = ok(own, report(TENANT, "ai-usage"), ownKey).path("top_models");

            assertThat(names(models)).containsExactly("m09", "m08", "m07", "m06", "m05", "m04", "m03", "m02", "m01",
                    "tie-a");
            assertThat(models.get(0).path("total_credits").decimalValue()).isEqualByComparingTo("0.9");
            assertThat(models.get(9).path("total_credits").decimalValue()).isEqualByComparingTo("0.05");
        }
    }

    private static void assertProvider(JsonNode provider, String name, long requests, long tokens, String credits,
                                       String cost) {
        assertThat(provider.path("provider").asText()).isEqualTo(name);
        assertThat(provider.path("requests").asLong()).isEqualTo(requests);
        assertThat(provider.path("total_tokens").asLong()).isEqualTo(tokens);
        assertThat(provider.path("total_credits").decimalValue()).isEqualByComparingTo(credits);
        assertThat(provider.path("total_cost_usd").decimalValue()).isEqualByComparingTo(cost);
    }

    private static List<String> names(JsonNode models) {
        List<String> names = new ArrayList<>();
        models.forEach(model -> names.add(model.path("model").asText()));
        return names;
    }
}
