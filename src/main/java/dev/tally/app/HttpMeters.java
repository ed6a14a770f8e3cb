package dev.tally.app;

import io.javalin.Javalin;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Requests and their latency by method, route and status. The route is the matched path template
 * ({@code /v1/analytics/calls/{call_id}/cost}), never the path itself, so the series stay as few as
 * the routes; a path no route matches counts as {@code unmatched}.
 */
final class HttpMeters {
    private static final String STARTED = "tally.request_started_ns";

    private HttpMeters() {
    }

    static void install(Javalin app, MeterRegistry registry) {
        app.before(context -> context.attribute(STARTED, System.nanoTime()));
        app.after(context -> {
            Long started = context.attribute(STARTED);
            if (started == null) {
                return;
            }
            String route = context.endpointHandlerPath();
            Timer.builder("tally.http.requests").description("HTTP requests answered, by route and status.")
                    .tag("method", context.method().name())
                    .tag("route", route == null || route.isEmpty() || route.equals("*") ? "unmatched" : route)
                    .tag("status", Integer.toString(context.statusCode()))
                    .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
                            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
                            Duration.ofSeconds(1), Duration.ofSeconds(5))
                    .register(registry).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        });
    }
}
