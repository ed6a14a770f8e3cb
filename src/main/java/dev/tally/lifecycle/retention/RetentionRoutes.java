package dev.tally.lifecycle.retention;

import dev.tally.access.RequestAuth;
import dev.tally.http.ApiError;
import dev.tally.http.Routes;
import io.javalin.Javalin;
import java.util.Map;

/** {@code POST /admin/retention/run}: the scheduled deletion of raw events past each tenant's retention, now. */
public final class RetentionRoutes implements Routes {
    private final RetentionService retention;
    private final RequestAuth auth;

    public RetentionRoutes(RetentionService retention, RequestAuth auth) {
        this.retention = retention;
        this.auth = auth;
    }

    @Override
    public void register(Javalin app) {
        app.post("/admin/retention/run", context -> {
            auth.admin(context);
            if (!retention.available()) {
                throw ApiError.conflict("store", "this store does not delete raw events by age yet");
            }
            context.json(Map.of("tenants", retention.runNow()));
        });
    }
}
