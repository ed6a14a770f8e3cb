package dev.tally.app;

import dev.tally.access.RequestAuth;
import dev.tally.http.ApiError;
import dev.tally.http.Routes;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * {@code GET /metrics}: every subsystem's meters in Prometheus' text format. Readable with the
 * admin token, or with the metrics token when one is configured, so a scrape needs no admin
 * rights. Each domain binds its own meters; those read from elsewhere (live state, budgets) are
 * refreshed just before the scrape.
 */
final class MetricsRoutes implements Routes {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final RequestAuth auth;
    private final PrometheusMeterRegistry registry;
    private final List<Runnable> refreshers;
    private final String metricsToken;

    MetricsRoutes(RequestAuth auth, PrometheusMeterRegistry registry, List<Runnable> refreshers, String metricsToken) {
        this.auth = auth;
        this.registry = registry;
        this.refreshers = List.copyOf(refreshers);
        this.metricsToken = metricsToken;
    }

    @Override
    public void register(Javalin app) {
        app.get("/metrics", context -> {
            if (!bearsMetricsToken(context)) {
                auth.admin(context);
            }
            for (Runnable refresh : refreshers) {
                refresh.run();
            }
            context.contentType(CONTENT_TYPE).result(registry.scrape());
        });
    }

    private boolean bearsMetricsToken(Context context) {
        String header = context.header("Authorization");
        if (metricsToken == null || header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        boolean matches = MessageDigest.isEqual(header.substring(7).getBytes(StandardCharsets.UTF_8),
                metricsToken.getBytes(StandardCharsets.UTF_8));
        if (!matches) {
            throw ApiError.unauthorized("the bearer token is not the metrics token");
        }
        return true;
    }
}
