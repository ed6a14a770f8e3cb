package dev.tally.budget;

import dev.tally.http.PrometheusText;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Comparator;
import java.util.List;

/**
 * Where every budget stands, as Prometheus gauges labelled by {@code tenant} (as the live metrics
 * are) and {@code budget_id}. Amounts are in the budget's measure, named by a {@code measure} label.
 */
final class BudgetPrometheus {
    static final String UTILISATION = "tally_budget_utilisation_ratio";
    static final String SPENT = "tally_budget_spent";
    static final String LIMIT = "tally_budget_limit";
    static final String EXHAUSTED = "tally_budget_exhausted";

    private BudgetPrometheus() {
    }

    static String render(List<BudgetStatus> statuses) {
        List<BudgetStatus> sorted = statuses.stream()
                .sorted(Comparator.comparing((BudgetStatus status) -> status.budget().tenantId())
                        .thenComparing(status -> status.budget().id()))
                .toList();
        PrometheusText text = new PrometheusText();
        text.family(UTILISATION, "Spent over limit in the budget's current period; 1 or more is exhausted.", "gauge");
        for (BudgetStatus status : sorted) {
            text.sample(UTILISATION, ratio(status), "tenant", status.budget().tenantId(), "budget_id", status.budget().id());
        }
        text.family(SPENT, "Spent in the budget's current period, in its measure (USD or credits).", "gauge");
        for (BudgetStatus status : sorted) {
            text.sample(SPENT, status.spent().toPlainString(), "tenant", status.budget().tenantId(),
                    "budget_id", status.budget().id(), "measure", status.budget().measure().wireName());
        }
        text.family(LIMIT, "The budget's limit per period, in its measure (USD or credits).", "gauge");
        for (BudgetStatus status : sorted) {
            text.sample(LIMIT, status.budget().limit().stripTrailingZeros().toPlainString(), "tenant",
                    status.budget().tenantId(), "budget_id", status.budget().id(),
                    "measure", status.budget().measure().wireName());
        }
        text.family(EXHAUSTED, "1 while the budget is exhausted (a block_calls budget then refuses calls), else 0.",
                "gauge");
        for (BudgetStatus status : sorted) {
            text.sample(EXHAUSTED, status.state() == BudgetStatus.State.EXHAUSTED ? "1" : "0", "tenant",
                    status.budget().tenantId(), "budget_id", status.budget().id());
        }
        return text.toString();
    }

    private static String ratio(BudgetStatus status) {
        BigDecimal ratio = BigDecimal.valueOf(status.spentUnits())
                .divide(BigDecimal.valueOf(status.budget().limitUnits()), 6, RoundingMode.HALF_UP).stripTrailingZeros();
        return ratio.scale() < 0 ? ratio.setScale(0).toPlainString() : ratio.toPlainString();
    }
}
