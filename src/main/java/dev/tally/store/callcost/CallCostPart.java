package dev.tally.store.callcost;

/** One event that names a call, as the call's cost lists it. */
public record CallCostPart(String id, String type, long timeMs, long costNanos, String provider, String model,
                           String kind, boolean unpriced) {
}
