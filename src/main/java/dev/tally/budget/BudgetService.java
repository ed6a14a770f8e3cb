package dev.tally.budget;

import dev.tally.http.ApiError;
import dev.tally.http.JsonBody;
import dev.tally.store.MetadataStore;
import dev.tally.store.ReportStore;
import dev.tally.tenant.Budget;
import dev.tally.tenant.BudgetPeriod;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/** Budgets kept in the metadata store, and where each stands in its current period. */
public final class BudgetService {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MetadataStore metadata;
    private final BudgetSpend spend;
    private final LongSupplier clock;
    private final BudgetMonitor monitor;

    /** @param sweep how often every budget is measured again, besides those of tenants just written */
    public BudgetService(MetadataStore metadata, ReportStore reports, LongSupplier clock, Duration sweep) {
        this.metadata = metadata;
        this.spend = new BudgetSpend(reports);
        this.clock = clock;
        this.monitor = new BudgetMonitor(metadata, spend, clock, sweep);
    }

    /** Where every budget stands, kept in memory for admission and metrics. */
    public BudgetMonitor monitor() {
        return monitor;
    }

    Budget create(String tenantId, JsonBody body) {
        if (metadata.tenant(tenantId).isEmpty()) {
            throw ApiError.notFound("tenant_id", "no tenant has this id");
        }
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        Budget budget = BudgetFields.create(body, "bud_" + HexFormat.of().formatHex(random), tenantId,
                clock.getAsLong());
        metadata.putBudget(budget);
        monitor.written(Set.of(tenantId));
        return budget;
    }

    /** Stores a budget made by Tally itself (the demo's), checked as the API checks one. */
    public void define(Budget budget) {
        metadata.putBudget(budget);
        monitor.written(Set.of(budget.tenantId()));
    }

    Budget change(Budget stored, JsonBody body) {
        Budget changed = BudgetFields.change(stored, body, clock.getAsLong());
        metadata.putBudget(changed);
        monitor.written(Set.of(changed.tenantId()));
        return changed;
    }

    public Optional<Budget> budget(String id) {
        return metadata.budget(id);
    }

    /** The tenant's budgets; null: every tenant's. */
    List<Budget> budgets(String tenantId) {
        return metadata.budgets(tenantId);
    }

    boolean delete(Budget budget) {
        boolean deleted = metadata.deleteBudget(budget.id());
        monitor.written(Set.of(budget.tenantId()));
        return deleted;
    }

    /** Where the budget stands now, in its current period. */
    /** The server's clock, which periods and forecasts are measured by. */
    long nowMs() {
        return clock.getAsLong();
    }

    /** Where the budget stands now, in its current period, measured at once. */
    public BudgetStatus status(Budget budget) {
        long now = clock.getAsLong();
        BudgetPeriod.Range period = budget.period().at(Instant.ofEpochMilli(now), budget.timezone());
        return new BudgetStatus(budget, period, spend.spent(budget, period.startMs(), period.endMs()), now);
    }
}
