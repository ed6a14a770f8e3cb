package dev.tally.budget;

import dev.tally.tenant.Budget;
import dev.tally.tenant.BudgetPeriod;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Where a budget stands in its current period, in stored units until it is shown.
 *
 * @param spentUnits what the scope spent in the period so far
 * @param nowMs when it was measured, for the forecast
 */
public record BudgetStatus(Budget budget, BudgetPeriod.Range period, long spentUnits, long nowMs) {

    enum State {
        OK("ok"),
        WARNING("warning"),
        EXHAUSTED("exhausted");

        private final String wireName;

        State(String wireName) {
            this.wireName = wireName;
        }

        String wireName() {
            return wireName;
        }
    }

    /** Exhausted at the limit; a warning once spending reaches the first threshold below it. */
    State state() {
        long limit = budget.limitUnits();
        if (spentUnits >= limit) {
            return State.EXHAUSTED;
        }
        for (BigDecimal threshold : budget.thresholds()) {
            if (threshold.compareTo(BigDecimal.ONE) < 0 && reached(threshold)) {
                return State.WARNING;
            }
        }
        return State.OK;
    }

    /** True when spending has reached this share of the limit, compared in integers. */
    public boolean reached(BigDecimal threshold) {
        return BigDecimal.valueOf(spentUnits).compareTo(threshold.multiply(BigDecimal.valueOf(budget.limitUnits()))) >= 0;
    }

    public BigDecimal spent() {
        return budget.measure().amount(spentUnits);
    }

    BigDecimal remaining() {
        return budget.measure().amount(Math.max(0, budget.limitUnits() - spentUnits));
    }

    /** Spent as a percentage of the limit, two decimals. */
    public BigDecimal percent() {
        return BigDecimal.valueOf(spentUnits).multiply(BigDecimal.valueOf(100))
                .divide(BigDecimal.valueOf(budget.limitUnits()), 2, RoundingMode.HALF_UP);
    }

    /** Spending at the period's end if it goes on at the rate of the period so far. */
    BigDecimal forecast() {
        long elapsed = Math.max(1, Math.min(nowMs, period.endMs()) - period.startMs());
        long length = period.endMs() - period.startMs();
        BigDecimal units = BigDecimal.valueOf(spentUnits).multiply(BigDecimal.valueOf(length))
                .divide(BigDecimal.valueOf(elapsed), 0, RoundingMode.HALF_UP);
        return budget.measure().amount(units);
    }
}
