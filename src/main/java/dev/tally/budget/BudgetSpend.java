package dev.tally.budget;

import dev.tally.store.ReportStore;
import dev.tally.store.rollup.RollupRead;
import dev.tally.store.rollup.RollupTable;
import dev.tally.store.rollup.Rollups;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.SqlBuilder;
import dev.tally.store.sql.SqlDialect;
import dev.tally.tenant.Budget;
import dev.tally.tenant.BudgetScope;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a budget's scope spent over a range, in the measure's stored units: cost is every event's
 * stored cost, a call's own (telephony) cost included; credits are the LLM requests' credits. The
 * store answers from its rollups where the scope allows (tenant, agent) and from raw rows where it
 * names a member or attributes.
 */
final class BudgetSpend {
    private final ReportStore store;

    BudgetSpend(ReportStore store) {
        this.store = store;
    }

    long spent(Budget budget, long fromMs, long toMs) {
        ReportStore session = store.session(budget.tenantId(), fromMs, toMs);
        return switch (budget.measure()) {
            case COST_USD -> sum(session, Rollups.EVENTS, "cost_nanos", budget.scope(), budget.tenantId(), fromMs, toMs)
                    + sum(session, Rollups.CALLS_BY_AGENT, "cost_nanos", budget.scope(), budget.tenantId(), fromMs, toMs);
            case CREDITS -> sum(session, Rollups.EVENTS, "credits_micros", budget.scope(), budget.tenantId(), fromMs,
                    toMs);
        };
    }

    /** What the tenant spent over the range per agent: every budget it {@link RangeSpend#answers answers} at once. */
    RangeSpend byAgent(String tenantId, long fromMs, long toMs) {
        ReportStore session = store.session(tenantId, fromMs, toMs);
        Map<String, RangeSpend.Units> byAgent = new HashMap<>();
        for (Row row : perAgent(session, Rollups.EVENTS, tenantId, fromMs, toMs, "cost_nanos", "credits_micros")) {
            byAgent.merge(row.string("agent_id"), new RangeSpend.Units(units(row, "cost_nanos"),
                    units(row, "credits_micros")), RangeSpend.Units::plus);
        }
        for (Row row : perAgent(session, Rollups.CALLS_BY_AGENT, tenantId, fromMs, toMs, "cost_nanos")) {
            byAgent.merge(row.string("agent_id"), new RangeSpend.Units(units(row, "cost_nanos"), 0),
                    RangeSpend.Units::plus);
        }
        return new RangeSpend(byAgent);
    }

    private static List<Row> perAgent(ReportStore store, RollupTable table, String tenantId, long fromMs, long toMs,
                                      String... measures) {
        SqlDialect dialect = store.dialect();
        SqlBuilder sql = new SqlBuilder().append("SELECT agent_id");
        for (String measure : measures) {
            sql.append(", " + dialect.signedInteger("sum(" + measure + ")") + " AS " + measure);
        }
        sql.append(" FROM ").append(store.rollup(RollupRead.of(table, tenantId, fromMs, toMs).measures(measures)))
                .append(" AS budget_rows GROUP BY agent_id");
        return store.query(sql.build());
    }

    private static long units(Row row, String column) {
        return row.get(column) == null ? 0 : row.longValue(column);
    }

    private static long sum(ReportStore store, RollupTable table, String measure, BudgetScope scope, String tenantId,
                            long fromMs, long toMs) {
        SqlDialect dialect = store.dialect();
        RollupRead read = RollupRead.of(table, tenantId, fromMs, toMs).measures(measure);
        if (scope.memberId() != null) {
            read = read.whereRaw("member_id", scope.memberId());
        }
        for (Map.Entry<String, String> attribute : scope.attributes().entrySet()) {
            read = read.whereRaw(dialect.attributeText(attribute.getKey()), attribute.getValue());
        }
        SqlBuilder sql = new SqlBuilder().append("SELECT " + dialect.signedInteger("sum(" + measure + ")")
                + " AS spent FROM ").append(store.rollup(read)).append(" AS budget_rows");
        if (scope.agentId() != null) {
            sql.append(" WHERE agent_id = ").value(scope.agentId());
        }
        List<Row> rows = store.query(sql.build());
        return rows.isEmpty() || rows.get(0).get("spent") == null ? 0 : rows.get(0).longValue("spent");
    }
}
