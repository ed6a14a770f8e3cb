package dev.tally.budget;

import dev.tally.http.ApiError;
import dev.tally.http.JsonBody;
import dev.tally.store.MetadataStore;
import dev.tally.store.ReportStore;
import dev.tally.tenant.Budget;
import dev.tally.tenant.BudgetPeriod;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/** Budgets kept in the metadata store, and where each stands in its current period. */
public final class BudgetService {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MetadataStore metadata;
    private final BudgetSpend spend;
    private final LongSupplier clock;

    public BudgetService(MetadataStore metadata, ReportStore reports, LongSupplier clock) {
        this.metadata = metadata;
        this.spend = new BudgetSpend(reports);
        this.clock = clock;
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
        return budget;
    }

    Budget change(Budget stored, JsonBody body) {
        Budget changed = BudgetFields.change(stored, body, clock.getAsLong());
        metadata.putBudget(changed);
        return changed;
    }

    Optional<Budget> budget(String id) {
        return metadata.budget(id);
    }

    /** The tenant's budgets; null: every tenant's. */
    List<Budget> budgets(String tenantId) {
        return metadata.budgets(tenantId);
    }

    boolean delete(String id) {
        return metadata.deleteBudget(id);
    }

    /** Where the budget stands now, in its current period. */
    BudgetStatus status(Budget budget) {
        long now = clock.getAsLong();
        BudgetPeriod.Range period = budget.period().at(Instant.ofEpochMilli(now), budget.timezone());
        return new BudgetStatus(budget, period, spend.spent(budget, period.startMs(), period.endMs()), now);
    }
}
