package dev.tally.demo;

import dev.tally.app.Tally;
import dev.tally.budget.BudgetService;
import dev.tally.tenant.Budget;
import dev.tally.tenant.BudgetAction;
import dev.tally.tenant.BudgetMeasure;
import dev.tally.tenant.BudgetPeriod;
import dev.tally.tenant.BudgetScope;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.ZoneId;
import java.util.List;

/**
 * Two budgets of acme, so the Budgets page and {@code GET /v1/budgets} have something to show at
 * once: the month's spend in New York time, limited where the demo's spending so far reaches 85 %
 * of it (a warning), and the week's credits at about 40 %. Their limits follow the demo's data,
 * whatever day it is loaded.
 */
final class DemoBudgets {
    private static final List<BigDecimal> THRESHOLDS = List.of(new BigDecimal("0.5"), new BigDecimal("0.8"),
            BigDecimal.ONE);

    private DemoBudgets() {
    }

    static void ensure(Tally tally) {
        BudgetService budgets = tally.budgets();
        long now = tally.clock().millis();
        define(budgets, new Budget("bud_demo_acme_monthly_spend", DemoData.TENANT, "Monthly spend",
                BudgetScope.everything(), BudgetMeasure.COST_USD, BudgetPeriod.MONTH, ZoneId.of("America/New_York"),
                BigDecimal.ONE, THRESHOLDS, BudgetAction.ALERT, now, now), new BigDecimal("0.85"));
        define(budgets, new Budget("bud_demo_acme_weekly_credits", DemoData.TENANT, "Weekly LLM credits",
                BudgetScope.everything(), BudgetMeasure.CREDITS, BudgetPeriod.WEEK, ZoneId.of("UTC"), BigDecimal.ONE,
                THRESHOLDS, BudgetAction.ALERT, now, now), new BigDecimal("0.4"));
    }

    /** Stores the budget with the limit its scope's spending so far is {@code share} of (at least 10). */
    private static void define(BudgetService budgets, Budget probe, BigDecimal share) {
        if (budgets.budget(probe.id()).isPresent()) {
            return;
        }
        BigDecimal limit = budgets.status(probe).spent().divide(share, 0, RoundingMode.UP).max(BigDecimal.TEN);
        budgets.define(new Budget(probe.id(), probe.tenantId(), probe.name(), probe.scope(), probe.measure(),
                probe.period(), probe.timezone(), limit, probe.thresholds(), probe.action(), probe.createdMs(),
                probe.updatedMs()));
    }
}
