package dev.tally.budget;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.function.Supplier;

/**
 * Where every budget stands, as gauges labelled by {@code tenant} and {@code budget_id} (budgets
 * are few per tenant); amounts in the budget's measure, named by a {@code measure} label. The rows
 * are set again from the monitor's last measurements at each scrape ({@link #refresh}), so a
 * deleted budget's series goes.
 */
final class BudgetMeters {
    private final Supplier<List<BudgetStatus>> statuses;
    private final MultiGauge utilisation;
    private final MultiGauge spent;
    private final MultiGauge limit;
    private final MultiGauge exhausted;

    BudgetMeters(Supplier<List<BudgetStatus>> statuses, MeterRegistry registry) {
        this.statuses = statuses;
        this.utilisation = MultiGauge.builder("tally.budget.utilisation").baseUnit("ratio")
                .description("Spent over limit in the budget's current period; 1 or more is exhausted.").register(registry);
        this.spent = MultiGauge.builder("tally.budget.spent")
                .description("Spent in the budget's current period, in its measure (USD or credits).").register(registry);
        this.limit = MultiGauge.builder("tally.budget.limit")
                .description("The budget's limit per period, in its measure (USD or credits).").register(registry);
        this.exhausted = MultiGauge.builder("tally.budget.exhausted")
                .description("1 while the budget is exhausted (a block_calls budget then refuses calls), else 0.")
                .register(registry);
    }

    void refresh() {
        List<BudgetStatus> now = statuses.get();
        utilisation.register(now.stream().map(status -> MultiGauge.Row.of(tags(status), ratio(status))).toList(), true);
        spent.register(now.stream().map(status -> MultiGauge.Row.of(tags(status).and("measure",
                status.budget().measure().wireName()), status.spent().doubleValue())).toList(), true);
        limit.register(now.stream().map(status -> MultiGauge.Row.of(tags(status).and("measure",
                status.budget().measure().wireName()), status.budget().limit().doubleValue())).toList(), true);
        exhausted.register(now.stream().map(status -> MultiGauge.Row.of(tags(status),
                status.state() == BudgetStatus.State.EXHAUSTED ? 1 : 0)).toList(), true);
    }

    private static Tags tags(BudgetStatus status) {
        return Tags.of("tenant", status.budget().tenantId(), "budget_id", status.budget().id());
    }

    private static double ratio(BudgetStatus status) {
        return BigDecimal.valueOf(status.spentUnits())
                .divide(BigDecimal.valueOf(status.budget().limitUnits()), 6, RoundingMode.HALF_UP).doubleValue();
    }
}
