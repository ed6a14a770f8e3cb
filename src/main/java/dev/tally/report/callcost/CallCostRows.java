package dev.tally.report.callcost;

import dev.tally.report.ReportDecimals;
import dev.tally.store.callcost.CallCost;
import dev.tally.store.callcost.ComponentNanos;
import dev.tally.store.callcost.CostComponent;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a call's cost is printed: USD from exact nano-dollar sums, rounded once here. The five usage
 * parts are always named; a fee kind only where it adds something, so an answer names the fees a
 * call (or a range) really carries.
 */
final class CallCostRows {
    private static final BigDecimal NANOS_PER_MINUTE_DOLLAR = BigDecimal.valueOf(1_000_000_000L);

    private CallCostRows() {
    }

    /** A call as listed: every field of the single-call answer but its events. */
    record Call(String callId, String agentId, String provider, String status, String startedAt,
                BigDecimal durationSeconds, Map<String, BigDecimal> components, BigDecimal totalCostUsd,
                BigDecimal reportedTotalCostUsd, BigDecimal differenceUsd, long unpricedEvents) {
    }

    static Call call(CallCost cost) {
        return new Call(cost.callId(), cost.agentId(), cost.provider(), cost.status(), startedAt(cost.startedMs()),
                cost.durationMs() == null ? null : ReportDecimals.ratio(cost.durationMs(), 1000, 3),
                components(cost.components(), feesPresent(cost.components())),
                ReportDecimals.dollars(cost.components().total()),
                cost.reportedTotalNanos() == null ? null : ReportDecimals.dollars(cost.reportedTotalNanos()),
                cost.differenceNanos() == null ? null : ReportDecimals.dollars(cost.differenceNanos()),
                cost.unpricedEvents());
    }

    static List<Call> calls(List<CallCost> costs) {
        return costs.stream().map(CallCostRows::call).toList();
    }

    static String startedAt(long timeMs) {
        return Instant.ofEpochMilli(timeMs).toString();
    }

    /** The fee kinds that add something; the usage parts are always shown. */
    static Set<CostComponent> feesPresent(ComponentNanos nanos) {
        Set<CostComponent> present = new java.util.LinkedHashSet<>();
        for (CostComponent component : CostComponent.values()) {
            if (component.isFee() && nanos.get(component) != 0) {
                present.add(component);
            }
        }
        return present;
    }

    /** The parts in a fixed order: telephony, stt, llm, tts, sms, then the fee kinds given. */
    static Map<String, BigDecimal> components(ComponentNanos nanos, Set<CostComponent> fees) {
        Map<String, BigDecimal> components = new LinkedHashMap<>();
        for (CostComponent component : CostComponent.values()) {
            if (!component.isFee() || fees.contains(component)) {
                components.put(component.key(), ReportDecimals.dollars(nanos.get(component)));
            }
        }
        return components;
    }

    /** Nano-dollars per minute of milliseconds talked, to the micro-dollar; null without any minute. */
    static BigDecimal perMinute(long nanos, long durationMs) {
        if (durationMs == 0) {
            return null;
        }
        BigDecimal dollarsPerMinute = BigDecimal.valueOf(nanos).multiply(BigDecimal.valueOf(60_000L))
                .divide(BigDecimal.valueOf(durationMs).multiply(NANOS_PER_MINUTE_DOLLAR), ReportDecimals.DOLLAR_SCALE,
                        RoundingMode.HALF_UP);
        BigDecimal stripped = dollarsPerMinute.stripTrailingZeros();
        return stripped.scale() < 1 ? stripped.setScale(1) : stripped;
    }
}
