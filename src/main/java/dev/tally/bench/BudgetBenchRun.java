package dev.tally.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** The steps of {@code bench budgets} against a running server, in order; each adds its figures to the results. */
final class BudgetBenchRun {
    static final String ADMIN_TOKEN = "bench-admin-token-budgets-0000000";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Agents the background budgets and the ingest load spread over. */
    private static final int AGENTS = 50;
    private static final long GIVE_UP_MS = 30_000;

    private final BudgetBench options;
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicLong ids = new AtomicLong();
    private final List<String> writers = new ArrayList<>();

    BudgetBenchRun(BudgetBench options, String base) {
        this.options = options;
        this.base = base;
    }

    void execute(Map<String, Object> results) throws Exception {
        for (int tenant = 0; tenant < options.tenants; tenant++) {
            String id = tenant(tenant);
            send("POST", "/admin/tenants", "{\"id\":\"" + id + "\",\"name\":\"" + id + "\"}", null);
            send("PATCH", "/admin/tenants/" + id, "{\"instructions\":\"Be brief.\"}", null);
            writers.add(send("POST", "/admin/api-keys", "{\"tenant_id\":\"" + id
                    + "\",\"name\":\"bench\",\"scopes\":[\"events:write\"]}", null).path("key").asText());
        }
        BenchRun.log("admission with no budget defined");
        results.put("admission_without_budgets", admissions("none"));
        BenchRun.log("defining " + options.budgets + " budgets over " + options.tenants + " tenants");
        long defining = System.nanoTime();
        defineBudgets();
        long measuredMs = waitUntilMeasured();
        results.put("budgets_measured_ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - defining));
        BenchRun.log("all budgets measured, " + measuredMs + " ms after the last was defined");
        BenchRun.log("admission with " + options.budgets + " budgets defined");
        results.put("admission_with_budgets", admissions("with"));
        BenchRun.log("timing " + options.crossings + " crossings under sustained ingest");
        results.put("detection", detection());
    }

    private static String tenant(int index) {
        return "budget-tenant-" + index;
    }

    /**
     * The first {@code --crossings} budgets are the probes: tenant 0, one agent each, 1 USD a month,
     * block_calls. The others never run out (their limits are far above the load) but cover the same
     * tenants and agents, so every write makes the monitor measure them again.
     */
    private void defineBudgets() throws Exception {
        String[] periods = {"day", "week", "month"};
        for (int index = 0; index < options.budgets; index++) {
            String body;
            if (index < options.crossings) {
                body = "{\"tenant_id\":\"" + tenant(0) + "\",\"name\":\"probe " + index + "\",\"measure\":\"cost_usd\","
                        + "\"period\":\"month\",\"limit\":1,\"scope\":{\"agent_id\":\"probe-" + index + "\"},"
                        + "\"action\":\"block_calls\"}";
            } else {
                String scope = index % 4 == 0 ? "{}" : "{\"agent_id\":\"agent-" + index % AGENTS + "\"}";
                body = "{\"tenant_id\":\"" + tenant(index % options.tenants) + "\",\"name\":\"background " + index
                        + "\",\"measure\":\"" + (index % 5 == 0 ? "credits" : "cost_usd") + "\",\"period\":\""
                        + periods[index % 3] + "\",\"limit\":1000000000,\"scope\":" + scope + ",\"action\":\""
                        + (index % 2 == 0 ? "block_calls" : "alert") + "\"}";
            }
            send("POST", "/admin/budgets", body, null);
        }
    }

    /** Waits until /metrics shows every budget measured; returns how long that took. */
    private long waitUntilMeasured() throws Exception {
        long started = System.nanoTime();
        while (true) {
            String metrics = text("/metrics");
            long measured = metrics.lines().filter(line -> line.startsWith("tally_budget_exhausted{")).count();
            if (measured >= options.budgets) {
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            }
            if (System.nanoTime() - started > TimeUnit.MILLISECONDS.toNanos(GIVE_UP_MS)) {
                throw new IllegalStateException("only " + measured + " of " + options.budgets + " budgets measured");
            }
            Thread.sleep(100);
        }
    }

    /** Sequential admissions of new calls by one client; the first tenth warms up and is not counted. */
    private Map<String, Object> admissions(String label) throws Exception {
        int warmUp = options.admissions / 10;
        Latencies latencies = new Latencies();
        int rejected = 0;
        for (int index = 0; index < warmUp + options.admissions; index++) {
            long before = System.nanoTime();
            String decision = admit(writers.get(0), "agent-admit", label);
            long elapsed = System.nanoTime() - before;
            if (index >= warmUp) {
                latencies.add(elapsed);
                rejected += decision.equals("accepted") ? 0 : 1;
            }
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("admissions", latencies.count());
        figures.put("rejected", rejected);
        figures.put("p50_ms", round(latencies.percentileMs(0.50)));
        figures.put("p99_ms", round(latencies.percentileMs(0.99)));
        return figures;
    }

    /**
     * Ingest runs in the background while each probe budget is pushed over its limit by one event;
     * the delay is from that request's 200 to the first refused admission of the probe's agent.
     * Crossings start at random moments, so they fall anywhere in the monitor's tick.
     */
    private Map<String, Object> detection() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong ingested = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(options.ingestClients);
        List<Future<?>> clients = new ArrayList<>();
        long loadStarted = System.nanoTime();
        for (int client = 0; client < options.ingestClients; client++) {
            int first = client;
            clients.add(pool.submit(() -> {
                for (int request = first; !stop.get(); request += options.ingestClients) {
                    send("POST", "/v1/events", load(), writers.get(request % writers.size()));
                    ingested.addAndGet(options.ingestBatch);
                }
                return null;
            }));
        }
        Latencies delays = new Latencies();
        List<Long> delaysMs = new ArrayList<>();
        Random random = new Random(1);
        try {
            Thread.sleep(3_000);
            for (int probe = 0; probe < options.crossings; probe++) {
                Thread.sleep(random.nextInt(1_000));
                String agent = "probe-" + probe;
                send("POST", "/v1/events", "[" + fee(agent, "1") + "]", writers.get(0));
                long committed = System.nanoTime();
                while (admit(writers.get(0), agent, "probe").equals("accepted")) {
                    if (System.nanoTime() - committed > TimeUnit.MILLISECONDS.toNanos(GIVE_UP_MS)) {
                        throw new IllegalStateException(agent + "'s budget still admits calls after " + GIVE_UP_MS + " ms");
                    }
                    Thread.sleep(5);
                }
                long delay = System.nanoTime() - committed;
                delays.add(delay);
                delaysMs.add(TimeUnit.NANOSECONDS.toMillis(delay));
            }
        } finally {
            stop.set(true);
            for (Future<?> client : clients) {
                client.get();
            }
            pool.shutdown();
        }
        double seconds = (System.nanoTime() - loadStarted) / 1e9;
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("crossings", delays.count());
        figures.put("p50_ms", round(delays.percentileMs(0.50)));
        figures.put("p99_ms", round(delays.percentileMs(0.99)));
        figures.put("max_ms", round(delays.percentileMs(1.0)));
        figures.put("delays_ms", delaysMs);
        figures.put("ingest_events_per_second", Math.round(ingested.get() / seconds));
        return figures;
    }

    private String load() {
        StringBuilder batch = new StringBuilder("[");
        for (int index = 0; index < options.ingestBatch; index++) {
            batch.append(index == 0 ? "" : ",").append(fee("agent-" + index % AGENTS, "0.000001"));
        }
        return batch.append(']').toString();
    }

    private String fee(String agent, String costUsd) {
        return "{\"id\":\"fee-" + ids.incrementAndGet() + "\",\"type\":\"fee\",\"time\":\"" + Instant.now()
                + "\",\"kind\":\"other\",\"cost_usd\":" + costUsd + ",\"agent_id\":\"" + agent + "\"}";
    }

    /** "accepted", or the rejection's reason. */
    private String admit(String key, String agent, String label) throws Exception {
        long id = ids.incrementAndGet();
        JsonNode answer = send("POST", "/v1/calls/admit", "{\"event_id\":\"admit-" + label + "-" + id
                + "\",\"call_id\":\"call-" + label + "-" + id + "\",\"agent_id\":\"" + agent + "\"}", key);
        return answer.path("decision").asText().equals("accepted") ? "accepted" : answer.path("reason").asText();
    }

    private String text(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("X-Admin-Token", ADMIN_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** A JSON request with the key, or the admin token when {@code key} is null; anything but a 2xx stops the run. */
    private JsonNode send(String method, String path, String body, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (key == null) {
            request.header("X-Admin-Token", ADMIN_TOKEN);
        } else {
            request.header("Authorization", "Bearer " + key);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return MAPPER.readTree(response.body());
    }

    private static double round(double millis) {
        return Math.round(millis * 1000) / 1000.0;
    }
}
