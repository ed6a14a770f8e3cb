package dev.tally.live;

import java.util.Optional;

/**
 * Which exhausted budget, if any, refuses a tenant's call of an agent. Asked on every admission, so
 * it must answer from memory: the budgets' spending is measured elsewhere, ahead of the calls.
 */
@FunctionalInterface
public interface BudgetRefusals {
    /** No budget refuses anything. */
    BudgetRefusals NONE = (tenantId, agentId) -> Optional.empty();

    /** @return the refusing budget's id */
    Optional<String> refusingBudget(String tenantId, String agentId);
}
