package dev.tally.prices;

import static dev.tally.prices.PriceRequests.admin;
import static dev.tally.prices.PriceRequests.assertField;
import static dev.tally.testing.StoredEvents.row;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /admin/prices/import}: the public catalogs' real excerpts, dry runs, idempotence, refusals. */
class PriceImportApiTest {
    private static final String LLM = """
            {"id": "%s", "type": "llm", "time": "2026-03-15T10:00:00Z", "provider": "%s", "model": "%s",
             "input_tokens": 1000, "output_tokens": 500}""";
    /** A model no catalog has, so that nothing bundled decides its price. */
    private static final String OWN_MODEL = """
            {"acme-ai/tally-test-model": {"litellm_provider": "acme-ai", "mode": "chat",
              "input_cost_per_token": %s, "output_cost_per_token": 4e-06}}""";
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Clock.fixed(Instant.parse("2026-03-15T12:00:00Z"), ZoneOffset.UTC));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String excerpt(String name) {
        try (InputStream stream = PriceImportApiTest.class.getResourceAsStream("/dev/tally/pricing/catalog/" + name)) {
            if (stream == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    private static JsonNode importCatalog(String query, String body, int status) {
        HttpResponse<String> answer = admin(server, "POST", "/admin/prices/import?" + query, body);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        return TestServer.json(answer);
    }

    private static List<String> keys(JsonNode entries) {
        List<String> keys = new ArrayList<>();
        for (JsonNode entry : entries) {
            JsonNode after = entry.has("after") ? entry.path("after") : entry;
            keys.add(after.path("unit").asText() + " " + after.path("provider").asText() + "/"
                    + after.path("model").asText() + " " + after.path("prefix").asText() + " "
                    + after.path("effective_from").asText());
        }
        return keys;
    }

    private static JsonNode prices() {
        return TestServer.json(server.get("/admin/prices", "X-Admin-Token", TestServer.ADMIN_TOKEN)).path("prices");
    }

    @Test
    void eachPublicCatalogImportsAfterADryRunAndASecondImportChangesNothing() {
        for (String[] catalog : new String[][] {{"litellm", "litellm-excerpt.json"},
            {"genai-prices", "genai-prices-excerpt.json"}}) {
            String body = excerpt(catalog[1]);
            int entriesBefore = prices().size();

            JsonNode dryRun = importCatalog("format=" + catalog[0] + "&dry_run=true", body, 200);
            assertThat(dryRun.path("dry_run").asBoolean()).isTrue();
            int read = dryRun.path("read").asInt();
            assertThat(read).as(catalog[0]).isGreaterThan(5);
            assertThat(dryRun.path("added").size() + dryRun.path("changed").size() + dryRun.path("unchanged").asInt())
                    .isEqualTo(read);
            assertThat(dryRun.path("skipped").size()).as("reasons for what was left out").isPositive();
            assertThat(prices().size()).as("a dry run stores nothing").isEqualTo(entriesBefore);

            JsonNode stored = importCatalog("format=" + catalog[0] + "&version=excerpt-1", body, 201);
            assertThat(keys(stored.path("added"))).isEqualTo(keys(dryRun.path("added")));
            assertThat(keys(stored.path("changed"))).isEqualTo(keys(dryRun.path("changed")));
            assertThat(prices().size()).isEqualTo(entriesBefore + stored.path("added").size());
            for (JsonNode added : stored.path("added")) {
                assertThat(added.path("source").asText()).isEqualTo(catalog[0] + " excerpt-1");
                assertThat(prices().findValuesAsText("id")).contains(added.path("id").asText());
            }

            JsonNode again = importCatalog("format=" + catalog[0] + "&version=excerpt-1", body, 201);
            assertThat(again.path("added").size()).as(catalog[0]).isZero();
            assertThat(again.path("changed").size()).as(catalog[0]).isZero();
            assertThat(again.path("unchanged").asInt()).isEqualTo(read);
        }
    }

    @Test
    void aChangedPriceAppliesToLaterEventsAndNeverToStoredOnes() {
        server.createTenant("importer", "importer");
        String key = server.createKey("importer", "events:write");
        JsonNode first = importCatalog("format=litellm", OWN_MODEL.formatted("2e-06"), 201);
        assertThat(first.path("added").size()).isEqualTo(1);
        server.ingest(key, LLM.formatted("before", "acme-ai", "tally-test-model"));

        JsonNode second = importCatalog("format=litellm", OWN_MODEL.formatted("3e-06"), 201);
        server.ingest(key, LLM.formatted("after", "acme-ai", "tally-test-model"));

        assertThat(second.path("added").size()).isZero();
        assertThat(second.path("changed").size()).isEqualTo(1);
        JsonNode change = second.path("changed").get(0);
        assertThat(change.path("before").path("input_per_million").decimalValue()).isEqualByComparingTo("2");
        assertThat(change.path("after").path("input_per_million").decimalValue()).isEqualByComparingTo("3");
        // 1,000 input × $2/M + 500 output × $4/M = 2,000 + 2,000 µ$; then 3,000 + 2,000 µ$
        assertThat(row(server.tally().events(), "events", "importer", "before").longValue("cost_nanos"))
                .isEqualTo(4_000_000);
        assertThat(row(server.tally().events(), "events", "importer", "after").longValue("cost_nanos"))
                .isEqualTo(5_000_000);
        assertThat(prices().findValuesAsText("model").stream().filter("tally-test-model"::equals)).hasSize(1);
    }

    @Test
    void anImportedPriceSupersedesABundledDefaultUntilItIsDeleted() {
        server.createTenant("superseded", "superseded");
        String key = server.createKey("superseded", "events:write");
        String catalog = """
                {"provenance": {"note": "a test"}, "entries": [
                  {"kind": "LLM", "provider": "openai", "model": "gpt-4o-mini", "effective_from": "2024-07-18",
                   "source": "a negotiated price", "input": 0.3, "output": 1.2}]}""";

        JsonNode imported = importCatalog("format=tally", catalog, 201);
        server.ingest(key, LLM.formatted("imported", "openai", "gpt-4o-mini"));
        String importedId = imported.path("changed").get(0).path("after").path("id").asText();
        assertThat(imported.path("changed").get(0).path("before").path("id").asText())
                .isEqualTo("openai/gpt-4o-mini@2024-07-18");
        assertThat(admin(server, "DELETE", "/admin/prices/" + importedId, null).statusCode()).isEqualTo(200);
        server.ingest(key, LLM.formatted("default-again", "openai", "gpt-4o-mini"));

        // 1,000 × $0.30/M + 500 × $1.20/M = 300 + 600 µ$; the default: 1,000 × 0.15 + 500 × 0.60 = 150 + 300 µ$
        assertThat(row(server.tally().events(), "events", "superseded", "imported").longValue("cost_nanos"))
                .isEqualTo(900_000);
        assertThat(row(server.tally().events(), "events", "superseded", "default-again").longValue("cost_nanos"))
                .isEqualTo(450_000);
    }

    @Test
    void refusesWhatIsNotAnImportNamingTheField() {
        HttpResponse<String> noToken = server.send("POST", "/admin/prices/import?format=litellm", "{}");
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertField(admin(server, "POST", "/admin/prices/import", "{}"), 400, "format");
        assertField(admin(server, "POST", "/admin/prices/import?format=csv", "{}"), 400, "format");
        assertField(admin(server, "POST", "/admin/prices/import?format=litellm&dry_run=maybe", "{}"), 400, "dry_run");
        assertField(admin(server, "POST", "/admin/prices/import?format=litellm", "[]"), 400, "body");
        assertField(admin(server, "POST", "/admin/prices/import?format=genai-prices", "{}"), 400, "body");
        assertField(admin(server, "POST", "/admin/prices/import?format=litellm", "{not json"), 400, "body");
        assertField(admin(server, "POST", "/admin/prices/import?format=tally", """
                {"provenance": {}, "entries": [{"kind": "STT", "provider": "deepgram", "model": "nova-3",
                 "effective_from": "2025-01-01", "source": "x", "per_audio_minute": -1}]}"""), 400, "per_audio_minute");
    }
}
