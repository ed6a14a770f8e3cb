package dev.tally.budget;

import dev.tally.tenant.Budget;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A budget as the API shows it, and with where it stands. Amounts are JSON numbers, exact. */
final class BudgetView {
    private BudgetView() {
    }

    static Map<String, Object> of(Budget budget) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", budget.id());
        view.put("tenant_id", budget.tenantId());
        view.put("name", budget.name());
        Map<String, Object> scope = new LinkedHashMap<>();
        scope.put("agent_id", budget.scope().agentId());
        scope.put("member_id", budget.scope().memberId());
        scope.put("attribute", budget.scope().attributes());
        view.put("scope", scope);
        view.put("measure", budget.measure().wireName());
        view.put("period", budget.period().wireName());
        view.put("timezone", budget.timezone().getId());
        view.put("limit", budget.limit());
        view.put("thresholds", budget.thresholds());
        view.put("action", budget.action().wireName());
        view.put("created_at", Instant.ofEpochMilli(budget.createdMs()).toString());
        view.put("updated_at", Instant.ofEpochMilli(budget.updatedMs()).toString());
        return view;
    }

    static Map<String, Object> of(BudgetStatus status) {
        Map<String, Object> view = of(status.budget());
        view.put("spent", status.spent());
        view.put("remaining", status.remaining());
        view.put("percent", status.percent());
        view.put("period_start", local(status.period().startMs(), status));
        view.put("period_end", local(status.period().endMs(), status));
        view.put("status", status.state().wireName());
        view.put("forecast", status.forecast());
        return view;
    }

    /** An instant as the budget's own clock shows it, with its offset: {@code 2026-12-01T00:00-05:00}. */
    private static String local(long epochMs, BudgetStatus status) {
        return Instant.ofEpochMilli(epochMs).atZone(status.budget().timezone()).toOffsetDateTime().toString();
    }
}
