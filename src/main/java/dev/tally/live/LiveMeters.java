package dev.tally.live;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The live metrics as Micrometer meters, one series per tenant ({@code tenant} label: tenants are
 * the platform's customers, a bounded set). Live state may be in Redis, so it is read once per
 * scrape ({@link #refresh}) and every meter reads that snapshot.
 */
final class LiveMeters {
    private final LiveState state;
    private final MeterRegistry registry;
    private final LongSupplier clock;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private volatile Map<String, Map<LiveCounter, Long>> snapshot = Map.of();
    private volatile long snapshotMs;

    LiveMeters(LiveState state, MeterRegistry registry, LongSupplier clock) {
        this.state = state;
        this.registry = registry;
        this.clock = clock;
    }

    /** Reads every tenant's counters once, and gives a tenant seen for the first time its meters. */
    void refresh() {
        Map<String, Map<LiveCounter, Long>> read = new ConcurrentHashMap<>();
        for (String tenant : state.tenants()) {
            read.put(tenant, state.counters(tenant));
        }
        snapshot = read;
        snapshotMs = clock.getAsLong();
        for (String tenant : read.keySet()) {
            if (registered.add(tenant)) {
                register(tenant);
            }
        }
    }

    private void register(String tenant) {
        for (LiveCounter counter : LiveCounter.METRICS) {
            String name = "tally." + counter.fieldName().replace('_', '.');
            if (counter.gauge()) {
                Gauge.builder(name, () -> value(tenant, counter)).description(counter.help()).tag("tenant", tenant)
                        .register(registry);
            } else {
                FunctionCounter.builder(name, this, meters -> meters.value(tenant, counter))
                        .description(counter.help()).tag("tenant", tenant).register(registry);
            }
        }
        FunctionCounter.builder("tally.calls.processed", this, meters -> meters.processedSeconds(tenant))
                .baseUnit("seconds").description("Talk time of ended calls plus the live time of active calls.")
                .tag("tenant", tenant).register(registry);
    }

    private double value(String tenant, LiveCounter counter) {
        Map<LiveCounter, Long> counters = snapshot.get(tenant);
        return counters == null ? 0 : counters.getOrDefault(counter, 0L);
    }

    private double processedSeconds(String tenant) {
        Map<LiveCounter, Long> counters = snapshot.get(tenant);
        return counters == null ? 0 : LiveMetrics.minutesProcessed(counters, snapshotMs).doubleValue() * 60;
    }
}
