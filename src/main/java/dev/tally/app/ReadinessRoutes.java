package dev.tally.app;

import dev.tally.http.Routes;
import dev.tally.live.LiveService;
import dev.tally.store.EventStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/v1/ready}: whether this instance can do its work now, dependency by dependency
 * (the store, or each ClickHouse endpoint; Redis when live state is shared), so a load balancer
 * stops sending traffic to an instance that cannot write, and {@link StartupWork} still running
 * (the demo data: until it is loaded its keys do not exist). {@code /api/v1/health} stays the
 * cheap liveness check. No auth: load balancers call it.
 */
public final class ReadinessRoutes implements Routes {
    private final EventStore store;
    private final LiveService live;
    private final StartupWork startup;

    public ReadinessRoutes(EventStore store, LiveService live, StartupWork startup) {
        this.store = store;
        this.live = live;
        this.startup = startup;
    }

    @Override
    public void register(Javalin app) {
        app.get("/api/v1/ready", this::ready);
    }

    private void ready(Context context) {
        Map<String, Object> checks = new LinkedHashMap<>();
        boolean ready = check(checks, store::dependencies);
        ready &= check(checks, live::dependencies);
        for (String work : startup.running()) {
            checks.put(work, Map.of("state", "loading"));
            ready = false;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ready ? "ready" : "not_ready");
        body.put("checks", checks);
        context.status(ready ? 200 : 503).json(body);
    }

    /** Runs the checks, timing them together; false when any dependency does not answer. */
    private static boolean check(Map<String, Object> checks, java.util.function.Supplier<Map<String, Boolean>> probe) {
        long started = System.nanoTime();
        Map<String, Boolean> answers = probe.get();
        long latencyMs = (System.nanoTime() - started) / 1_000_000;
        boolean all = true;
        for (Map.Entry<String, Boolean> answer : answers.entrySet()) {
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("state", answer.getValue() ? "up" : "down");
            state.put("latency_ms", latencyMs);
            checks.put(answer.getKey(), state);
            all &= answer.getValue();
        }
        return all;
    }
}
