package dev.tally.app;

import dev.tally.access.RequestAuth;
import dev.tally.http.PrometheusText;
import dev.tally.http.Routes;
import io.javalin.Javalin;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /metrics} (admin token): every domain's Prometheus text in one scrape. Each domain
 * renders its own families; they meet here because no domain may import another.
 */
final class MetricsRoutes implements Routes {
    private final RequestAuth auth;
    private final List<Supplier<String>> sections;

    MetricsRoutes(RequestAuth auth, List<Supplier<String>> sections) {
        this.auth = auth;
        this.sections = List.copyOf(sections);
    }

    @Override
    public void register(Javalin app) {
        app.get("/metrics", context -> {
            auth.admin(context);
            StringBuilder text = new StringBuilder();
            for (Supplier<String> section : sections) {
                text.append(section.get());
            }
            context.contentType(PrometheusText.CONTENT_TYPE).result(text.toString());
        });
    }
}
