package dev.tally.lifecycle.retention;

import dev.tally.access.TenantService;
import dev.tally.store.BatchWriter;
import dev.tally.store.EventStore;
import dev.tally.tenant.Retention;
import dev.tally.tenant.Tenant;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes each tenant's raw events older than its retention on a schedule, and when an operator
 * asks. Each tenant's deletion runs on the writer's thread, one transaction, so no write of that
 * tenant is half on either side of it.
 */
public final class RetentionService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionService.class);

    private final EventStore store;
    private final TenantService tenants;
    private final BatchWriter writer;
    private final LongSupplier clock;
    private final ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "tally-retention");
        thread.setDaemon(true);
        return thread;
    });

    public RetentionService(EventStore store, TenantService tenants, BatchWriter writer, LongSupplier clock) {
        this.store = store;
        this.tenants = tenants;
        this.writer = writer;
        this.clock = clock;
    }

    /** Runs every {@code interval}, the first time one interval after the start (not in the way of a starting server). */
    public void start(Duration interval) {
        if (!store.deletesRawRows()) {
            return;
        }
        schedule.scheduleWithFixedDelay(() -> {
            try {
                List<Map<String, Object>> done = runNow();
                if (!done.isEmpty()) {
                    LOG.info("retention: {}", done);
                }
            } catch (RuntimeException failure) {
                LOG.warn("retention failed; it runs again in {}: {}", interval, failure.toString());
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean available() {
        return store.deletesRawRows();
    }

    /** Deletes now; one entry per tenant with a retention: its horizon and the rows deleted per table. */
    public synchronized List<Map<String, Object>> runNow() {
        List<Map<String, Object>> done = new ArrayList<>();
        for (Tenant tenant : tenants.list()) {
            OptionalLong horizon = Retention.horizonMs(tenant, clock.getAsLong());
            if (horizon.isEmpty()) {
                continue;
            }
            Map<String, Long> deleted = writer.exclusive(() -> store.deleteRawBefore(tenant.id(), horizon.getAsLong()));
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("tenant_id", tenant.id());
            entry.put("retention_days", tenant.retentionDays());
            entry.put("raw_data_from", Instant.ofEpochMilli(horizon.getAsLong()).toString());
            entry.put("rows_deleted", deleted);
            done.add(entry);
        }
        return done;
    }

    @Override
    public void close() {
        schedule.shutdownNow();
    }
}
