package dev.tally.store.callcost;

/**
 * One call's cost: its latest state and the parts that name it.
 *
 * @param durationMs null while the call has no duration (in progress)
 * @param reportedTotalNanos the platform's own total, null when it sent none; never part of {@code components}
 * @param unpricedEvents the call and its events stored at cost 0 because nothing priced them
 */
public record CallCost(String callId, String agentId, String provider, String status, long startedMs,
                       Long durationMs, Long reportedTotalNanos, ComponentNanos components, long unpricedEvents) {

    /** The platform's total less the sum of the parts; null without a reported total. */
    public Long differenceNanos() {
        return reportedTotalNanos == null ? null : Math.subtractExact(reportedTotalNanos, components.total());
    }
}
