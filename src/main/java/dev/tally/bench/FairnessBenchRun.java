package dev.tally.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** The phases of {@code bench fairness} against a running server; each adds the calm tenant's figures. */
final class FairnessBenchRun {
    static final String ADMIN_TOKEN = "bench-admin-token-fairness-000000";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String REPORT = "/v1/analytics/spend?from=2026-11-01&to=2026-11-30";
    private static final String FLOOD = "flood";
    private static final String CALM = "calm";

    private final FairnessBench options;
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final AtomicLong ids = new AtomicLong();

    FairnessBenchRun(FairnessBench options, String base) {
        this.options = options;
        this.base = base;
    }

    void execute(Map<String, Object> results) throws Exception {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String tenant : List.of(FLOOD, CALM)) {
            send("POST", "/admin/tenants", "{\"id\":\"" + tenant + "\",\"name\":\"" + tenant + "\"}", null);
            keys.put(tenant, MAPPER.readTree(send("POST", "/admin/api-keys", "{\"tenant_id\":\"" + tenant
                    + "\",\"name\":\"bench\",\"scopes\":[\"events:write\",\"analytics:read\"]}", null).body())
                    .path("key").asText());
            for (int batch = 0; batch < 20; batch++) {
                send("POST", "/v1/events", batch(100), keys.get(tenant));
            }
        }
        BenchRun.log("phase 0: no flood, for reference");
        results.put("no_flood", phase(keys, 0));
        BenchRun.log("phase 1: no limits");
        send("PUT", "/admin/tenants/" + FLOOD + "/limits", "{\"ingest_per_second\":0,\"reports_per_second\":0,"
                + "\"ingest_in_flight\":0,\"reports_in_flight\":0}", null);
        send("PUT", "/admin/tenants/" + CALM + "/limits", "{\"ingest_per_second\":0,\"reports_per_second\":0,"
                + "\"ingest_in_flight\":0,\"reports_in_flight\":0}", null);
        results.put("without_limits", phase(keys, options.connections));
        BenchRun.log("phase 2: the default limits");
        send("DELETE", "/admin/tenants/" + FLOOD + "/limits", null, null);
        send("DELETE", "/admin/tenants/" + CALM + "/limits", null, null);
        results.put("default_limits", phase(keys, options.connections));
        BenchRun.log("phase 3: the flooding tenant limited to 4 ingest and 4 reports in flight");
        send("PUT", "/admin/tenants/" + FLOOD + "/limits", "{\"ingest_in_flight\":4,\"reports_in_flight\":4}", null);
        results.put("flood_limited", phase(keys, options.connections));
    }

    /** One phase: the flood runs for the phase's seconds while the calm tenant's requests are timed. */
    private Map<String, Object> phase(Map<String, String> keys, int connections) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong floodOk = new AtomicLong();
        AtomicLong floodRefused = new AtomicLong();
        AtomicLong floodFailed = new AtomicLong();
        ExecutorService flood = Executors.newFixedThreadPool(Math.max(1, connections));
        for (int client = 0; client < connections; client++) {
            boolean ingest = client % 2 == 0;
            flood.submit(() -> {
                while (running.get()) {
                    try {
                        int status = ingest ? send("POST", "/v1/events", batch(100), keys.get(FLOOD)).statusCode()
                                : send("GET", REPORT, null, keys.get(FLOOD)).statusCode();
                        (status == 200 ? floodOk : status == 429 ? floodRefused : floodFailed).incrementAndGet();
                    } catch (Exception failed) {
                        floodFailed.incrementAndGet();
                    }
                }
                return null;
            });
        }
        Thread.sleep(2_000); // the flood at full strength before anything is measured
        Latencies reports = new Latencies();
        AtomicLong calmIngested = new AtomicLong();
        AtomicLong calmIngestRefused = new AtomicLong();
        Thread trickle = new Thread(() -> {
            while (running.get()) {
                try {
                    int status = send("POST", "/v1/events", batch(10), keys.get(CALM)).statusCode();
                    (status == 200 ? calmIngested : calmIngestRefused).incrementAndGet();
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    return;
                } catch (Exception failed) {
                    calmIngestRefused.incrementAndGet();
                }
            }
        });
        trickle.start();
        long calmReportsFailed = 0;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.seconds);
        while (System.nanoTime() < until) {
            long started = System.nanoTime();
            int status = send("GET", REPORT, null, keys.get(CALM)).statusCode();
            if (status == 200) {
                reports.add(System.nanoTime() - started);
            } else {
                calmReportsFailed++;
            }
        }
        running.set(false);
        trickle.join();
        flood.shutdown();
        flood.awaitTermination(1, TimeUnit.MINUTES);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("calm_reports", reports.count());
        figures.put("calm_report_p50_ms", round(reports.percentileMs(0.50)));
        figures.put("calm_report_p99_ms", round(reports.percentileMs(0.99)));
        figures.put("calm_report_max_ms", round(reports.percentileMs(1.0)));
        figures.put("calm_reports_not_200", calmReportsFailed);
        figures.put("calm_ingest_requests_ok", calmIngested.get());
        figures.put("calm_ingest_requests_refused", calmIngestRefused.get());
        figures.put("flood_answered_200", floodOk.get());
        figures.put("flood_answered_429", floodRefused.get());
        figures.put("flood_other_answers", floodFailed.get());
        BenchRun.log("calm reports p50 " + figures.get("calm_report_p50_ms") + " ms, p99 " + figures.get("calm_report_p99_ms")
                + " ms; calm ingest refused " + calmIngestRefused.get() + "; flood 200 " + floodOk.get() + ", 429 "
                + floodRefused.get());
        return figures;
    }

    private String batch(int events) {
        StringBuilder body = new StringBuilder("[");
        for (int event = 0; event < events; event++) {
            if (event > 0) {
                body.append(',');
            }
            long id = ids.incrementAndGet();
            body.append("{\"id\":\"f").append(id).append("\",\"type\":\"call\",\"time\":\"2026-11-")
                    .append(String.format("%02d", 1 + id % 28)).append("T10:00:00Z\",\"status\":\"completed\","
                            + "\"ended_at\":\"2026-11-").append(String.format("%02d", 1 + id % 28))
                    .append("T10:02:00Z\",\"agent_id\":\"a").append(id % 7).append("\",\"cost_usd\":0.02}");
        }
        return body.append(']').toString();
    }

    private HttpResponse<String> send(String method, String path, String body, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (key == null) {
            request.header("X-Admin-Token", ADMIN_TOKEN);
        } else {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
