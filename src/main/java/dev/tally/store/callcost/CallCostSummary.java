package dev.tally.store.callcost;

import java.util.List;

/**
 * What a store answers for a {@link CallCostQuery}.
 *
 * @param groups one per (UTC day, agent) holding calls, in no particular order
 * @param calls the first calls in the query's order
 * @param mismatched the calls whose reported total differs from their parts by more than
 *     {@link CallCostReads#MISMATCH_NANOS}, largest difference first
 */
public record CallCostSummary(List<Group> groups, List<CallCost> calls, List<CallCost> mismatched) {

    /** The calls of one UTC day and agent (null: calls without one). */
    public record Group(long epochDay, String agentId, long calls, long durationMs, ComponentNanos components,
                        long unpricedEvents) {
    }
}
