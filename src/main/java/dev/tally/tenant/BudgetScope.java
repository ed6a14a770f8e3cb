package dev.tally.tenant;

import java.util.Map;
import java.util.TreeMap;

/**
 * The usage a budget counts: the tenant's whole usage, or only that of one agent, one member,
 * or events carrying these attributes (every one of them); the conditions add up.
 *
 * @param agentId null: every agent
 * @param memberId null: every member
 * @param attributes attribute name to the value an event must carry; empty: any
 */
public record BudgetScope(String agentId, String memberId, Map<String, String> attributes) {

    public BudgetScope {
        attributes = java.util.Collections.unmodifiableMap(new TreeMap<>(attributes));
    }

    public static BudgetScope everything() {
        return new BudgetScope(null, null, Map.of());
    }

    /** True when the budget covers a call of this agent: calls are refused by tenant and agent, before any event names a member. */
    public boolean coversCallsOf(String callAgentId) {
        return memberId == null && attributes.isEmpty() && (agentId == null || agentId.equals(callAgentId));
    }
}
