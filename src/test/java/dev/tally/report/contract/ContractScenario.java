package dev.tally.report.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One seed's dataset sent through the HTTP API into a real server, with the keys that read it back,
 * and the requests that compare each answer with the plain computation. Every failure names the seed
 * and how to run that seed alone.
 */
final class ContractScenario implements AutoCloseable {
    static final String SEEDS_PROPERTY = "tally.contract.seeds";
    /**
     * {@code true} or {@code false} lets seeds draw the crowd of small tenants or not. By default
     * ClickHouse does not: a tenant created there waits to settle and each takes a rollup pass at
     * ingest, so a crowd adds some 40 s, and deleting its scratch tables more than surefire's 30 s exit
     * wait. {@code -Dtally.contract.crowd=true -Dtally.contract.seeds=1} runs it there.
     */
    static final String CROWD_PROPERTY = "tally.contract.crowd";

    final Dataset dataset;
    final StoredState stored;
    final ContractPrices prices;
    private final TestServer server;
    private final Map<String, String> readerKeys = new LinkedHashMap<>();
    private final String superAdminKey;

    private ContractScenario(long seed) {
        this(DatasetGenerator.generate(seed, Boolean.parseBoolean(System.getProperty(CROWD_PROPERTY,
                String.valueOf(!"clickhouse".equals(System.getProperty(TestServer.STORE_PROPERTY)))))));
    }

    /** A server that took this dataset's batches, in order, round by round. */
    ContractScenario(Dataset dataset) {
        this.dataset = dataset;
        stored = new StoredState(dataset);
        prices = new ContractPrices(dataset.priceChangeDay());
        server = TestServer.start(Clock.fixed(Dataset.NOW, ZoneOffset.UTC));
        superAdminKey = server.createKey(null, new String[] {"super-admin"});
        dataset.batchesByTenant().keySet().forEach(tenant -> server.createTenant(tenant, tenant));
        prices.entries().forEach(entry -> {
            HttpResponse<String> response = server.post("/admin/prices", write(entry.body()), "X-Admin-Token",
                    TestServer.ADMIN_TOKEN);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        });
        Dataset.TENANTS.forEach(tenant -> readerKeys.put(tenant,
                server.createKey(tenant, new String[] {"analytics:read"})));
        String platformWriter = server.createKey(null, new String[] {"events:write"});
        for (int round = 0; round < DatasetGenerator.BATCHES; round++) {
            List<ObjectNode> events = round(round);
            if (!events.isEmpty()) {
                server.ingest(platformWriter, write(events));
            }
        }
    }

    /**
     * One round of every tenant's batches in one request of a platform key, each event naming its
     * tenant: on ClickHouse each request recomputes the rollups, so fewer requests keep the run short.
     */
    private List<ObjectNode> round(int round) {
        List<ObjectNode> events = new ArrayList<>();
        dataset.batchesByTenant().forEach((tenant, batches) -> batches.get(round)
                .forEach(event -> events.add(event.deepCopy().put("tenant_id", tenant))));
        return events;
    }

    static ContractScenario load(long seed) {
        return new ContractScenario(seed);
    }

    String readerKey(String tenant) {
        return readerKeys.get(tenant);
    }

    String superAdminKey() {
        return superAdminKey;
    }

    private static String write(Object value) {
        try {
            return AnswerComparison.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    String context(String request) {
        long seed = dataset.seed();
        return "seed " + seed + " (alone: -D" + SEEDS_PROPERTY + "=" + seed + "), " + dataset.batchesByTenant().size()
                + " tenants, days " + dataset.firstDay() + " + "
                + dataset.days() + ", price change " + dataset.priceChangeDay() + ": " + request;
    }

    JsonNode get(String path, String key) {
        return answer("GET " + path, server.getWithKey(path, key));
    }

    int status(String path, String key) {
        return server.getWithKey(path, key).statusCode();
    }

    /** {@code POST /calls/stats} takes HTTP Basic with the key as the password. */
    JsonNode postStats(ObjectNode body, String key) {
        String basic = "Basic " + Base64.getEncoder().encodeToString((":" + key).getBytes(StandardCharsets.UTF_8));
        String text = write(body);
        return answer("POST /calls/stats " + text, server.post("/calls/stats", text, "Authorization", basic,
                "Content-Type", "application/json"));
    }

    private JsonNode answer(String request, HttpResponse<String> response) {
        assertThat(response.statusCode()).as(context(request) + " → " + response.body()).isEqualTo(200);
        try {
            return AnswerComparison.MAPPER.readTree(response.body());
        } catch (JsonProcessingException notJson) {
            throw new AssertionError(context(request) + ": not JSON: " + response.body(), notJson);
        }
    }

    /** Fails with every difference between the answer and the expected one. */
    void assertAnswer(String request, JsonNode expected, JsonNode actual) {
        AnswerComparison comparison = new AnswerComparison();
        comparison.compare("$", expected, actual);
        List<String> differences = comparison.differences();
        assertThat(differences).as(context(request) + "\nanswer: " + actual).isEmpty();
    }

    @Override
    public void close() {
        server.close();
    }
}
