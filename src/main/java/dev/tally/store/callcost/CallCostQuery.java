package dev.tally.store.callcost;

/**
 * The calls of one tenant started in {@code [fromMs, toMs)}, optionally of one agent: their sums by
 * UTC day and agent, the first {@code limit} calls in {@code order}, and the first {@code limit}
 * calls whose reported total differs from their parts by more than a cent.
 *
 * @param agentId null for every agent
 */
public record CallCostQuery(String tenantId, long fromMs, long toMs, String agentId, int limit,
                            CallCostOrder order) {
    public CallCostQuery {
        if (fromMs > toMs) {
            throw new IllegalArgumentException("a range ends before it starts: " + fromMs + " > " + toMs);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("a negative limit: " + limit);
        }
    }
}
