package dev.tally.app;

import dev.tally.http.Routes;
import io.javalin.Javalin;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** {@code GET /api/v1/health}: up, which store, and whether the store answers. No auth: load balancers call it. */
public final class HealthRoutes implements Routes {
    private final String storeName;
    private final Supplier<Boolean> storeAnswers;

    public HealthRoutes(String storeName, Supplier<Boolean> storeAnswers) {
        this.storeName = storeName;
        this.storeAnswers = storeAnswers;
    }

    @Override
    public void register(Javalin app) {
        app.get("/api/v1/health", context -> {
            boolean healthy = storeAnswers.get();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", healthy ? "ok" : "degraded");
            body.put("store", storeName);
            body.put("version", Version.CURRENT);
            context.status(healthy ? 200 : 503).json(body);
        });
    }
}
