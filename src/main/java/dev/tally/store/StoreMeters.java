package dev.tally.store;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * What a store measures of itself: its report queries, its rollup upkeep, and (ClickHouse) every
 * round trip to the servers. Meters live on a registry of their own that forwards to the server's
 * once {@link #bind bound}; until then nothing is measured, so a store opened without a server
 * (the CLI, a bench loader) measures nothing, and the work of opening one is not counted.
 */
public final class StoreMeters {
    private static final Duration[] LATENCIES = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30)};

    private final CompositeMeterRegistry registry = new CompositeMeterRegistry();
    private final String store;
    /** Nothing is registered before: Micrometer warns of meters a registry added later would not see. */
    private volatile boolean bound;

    /** @param store the store's name, every meter's {@code store} label */
    public StoreMeters(String store) {
        this.store = store;
    }

    /** From now on the meters are the server's too. */
    public void bind(MeterRegistry server) {
        registry.add(server);
        bound = true;
    }

    /** Times one report query (a rollup or raw read), failures apart. */
    public <T> T reportQuery(Supplier<T> query) {
        return timed(timer("tally.store.report.queries", "Report queries the store answered."), query);
    }

    /** Times one round of rollup upkeep: {@code kind} names it (a fold, a refresh, a recomputation). */
    public <T> T rollupWork(String kind, Supplier<T> work) {
        return timed(timer("tally.store.rollup.work", "Rollup upkeep: folding deltas, refreshing rows, recomputing hours.")
                .tag("kind", kind), work);
    }

    /** Times one request to a ClickHouse server: {@code kind} is {@code select}, {@code insert} or {@code statement}. */
    public <T> T clickHouseRequest(String kind, Supplier<T> request) {
        return timed(timer("tally.clickhouse.requests", "Round trips to the ClickHouse servers.").tag("kind", kind),
                request);
    }

    private Timer.Builder timer(String name, String description) {
        return Timer.builder(name).description(description).tag("store", store).serviceLevelObjectives(LATENCIES);
    }

    private <T> T timed(Timer.Builder timer, Supplier<T> work) {
        long started = System.nanoTime();
        String outcome = "failed";
        try {
            T result = work.get();
            outcome = "ok";
            return result;
        } finally {
            if (bound) {
                timer.tag("outcome", outcome).register(registry).record(Duration.ofNanos(System.nanoTime() - started));
            }
        }
    }
}
