package dev.tally.budget;

import dev.tally.store.MetadataStore;
import dev.tally.tenant.Budget;
import dev.tally.tenant.BudgetAction;
import dev.tally.tenant.BudgetPeriod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps where every budget stands in memory, so admission and metrics read it without a query:
 * a tenant's budgets are looked at again within a tick of a write of that tenant, and every
 * budget at each sweep (writes of other instances, a new period, a changed budget).
 * Listeners hear each status as it is measured, and decide themselves what it crosses.
 */
public final class BudgetMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BudgetMonitor.class);
    static final Duration TICK = Duration.ofSeconds(1);

    private final MetadataStore metadata;
    private final BudgetSpend spend;
    private final LongSupplier clock;
    private final Duration sweep;
    private final Map<String, BudgetStatus> statuses = new ConcurrentHashMap<>();
    private final Set<String> written = ConcurrentHashMap.newKeySet();
    private final List<Consumer<BudgetStatus>> listeners = new CopyOnWriteArrayList<>();
    private final Object evaluating = new Object();
    private volatile long lastSweepMs = Long.MIN_VALUE;
    private ScheduledExecutorService scheduler;

    BudgetMonitor(MetadataStore metadata, BudgetSpend spend, LongSupplier clock, Duration sweep) {
        this.metadata = metadata;
        this.spend = spend;
        this.clock = clock;
        this.sweep = sweep;
    }

    /** Starts looking at budgets every {@link #TICK}; without it, only {@link #evaluate} does. */
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tally-budgets");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Hears each status as it is measured, on the monitor's thread. */
    public void addListener(Consumer<BudgetStatus> listener) {
        listeners.add(listener);
    }

    /** These tenants' events were written: their budgets are looked at again at the next tick. */
    public void written(Set<String> tenantIds) {
        written.addAll(tenantIds);
    }

    private void tick() {
        try {
            long now = clock.getAsLong();
            // the first tick sweeps: now - Long.MIN_VALUE overflows to a negative number, which never would
            if (lastSweepMs == Long.MIN_VALUE || now - lastSweepMs >= sweep.toMillis()) {
                written.clear();
                lastSweepMs = now;
                evaluate(null);
                return;
            }
            Set<String> tenants = new HashSet<>(written);
            written.removeAll(tenants);
            for (String tenantId : tenants) {
                evaluate(tenantId);
            }
        } catch (RuntimeException failure) {
            // the store may be down for a while: the statuses stay as last measured, and the next tick tries again
            LOG.warn("budgets could not be measured: {}", failure.getMessage());
        }
    }

    /** Measures the tenant's budgets (null: every budget) now, and tells the listeners. */
    public void evaluate(String tenantId) {
        synchronized (evaluating) {
            List<Budget> budgets = metadata.budgets(tenantId);
            Set<String> current = new HashSet<>();
            long now = clock.getAsLong();
            // budgets of one tenant over one range share two queries; the sweep is a few queries a tenant
            Map<String, RangeSpend> shared = new HashMap<>();
            for (Budget budget : budgets) {
                current.add(budget.id());
                BudgetPeriod.Range period = budget.period().at(Instant.ofEpochMilli(now), budget.timezone());
                long spent = RangeSpend.answers(budget)
                        ? shared.computeIfAbsent(budget.tenantId() + "\n" + period.startMs() + "\n" + period.endMs(),
                                ignored -> spend.byAgent(budget.tenantId(), period.startMs(), period.endMs())).spent(budget)
                        : spend.spent(budget, period.startMs(), period.endMs());
                BudgetStatus status = new BudgetStatus(budget, period, spent, now);
                statuses.put(budget.id(), status);
                for (Consumer<BudgetStatus> listener : listeners) {
                    listener.accept(status);
                }
            }
            // a deleted budget refuses nothing any more
            statuses.values().removeIf(status -> (tenantId == null || tenantId.equals(status.budget().tenantId()))
                    && !current.contains(status.budget().id()));
        }
    }

    /** The budget that refuses a call of this tenant and agent: exhausted, with {@code block_calls}, covering it. */
    public Optional<String> refusingBudget(String tenantId, String agentId) {
        for (BudgetStatus status : statuses.values()) {
            Budget budget = status.budget();
            if (budget.action() == BudgetAction.BLOCK_CALLS && budget.tenantId().equals(tenantId)
                    && budget.scope().coversCallsOf(agentId) && status.state() == BudgetStatus.State.EXHAUSTED) {
                return Optional.of(budget.id());
            }
        }
        return Optional.empty();
    }

    /** Every budget as last measured. */
    public List<BudgetStatus> statuses() {
        return new ArrayList<>(statuses.values());
    }

    /** Gives every budget's standing gauges in the registry; the returned task sets them, to run before each scrape. */
    public Runnable bindMeters(io.micrometer.core.instrument.MeterRegistry registry) {
        return new BudgetMeters(this::statuses, registry)::refresh;
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }
}
