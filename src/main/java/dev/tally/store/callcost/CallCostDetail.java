package dev.tally.store.callcost;

import java.util.List;

/** A call's cost with the events that make it up, in time order (then id). */
public record CallCostDetail(CallCost cost, List<CallCostPart> parts) {
}
