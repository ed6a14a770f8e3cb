package dev.tally.report.callcost;

import dev.tally.event.EventType;
import dev.tally.http.CsvTable;
import dev.tally.report.ReportDecimals;
import dev.tally.store.callcost.CallCost;
import dev.tally.store.callcost.CallCostDetail;
import dev.tally.store.callcost.CallCostPart;
import dev.tally.store.callcost.CostComponent;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The answer of {@code GET /v1/analytics/calls/{call_id}/cost}: the call, its parts, their sum, the
 * platform's own total beside it (never added in), and the events that make the sum.
 */
record CallCostAnswer(String callId, String agentId, String provider, String status, String startedAt,
                      BigDecimal durationSeconds, Map<String, BigDecimal> components, BigDecimal totalCostUsd,
                      BigDecimal reportedTotalCostUsd, BigDecimal differenceUsd, long unpricedEvents,
                      List<Event> events) {

    /** One event naming the call: what identifies it (provider, model, kind) and its stored cost. */
    record Event(String id, String type, String time, String provider, String model, String kind, String component,
                 BigDecimal costUsd, boolean unpriced) {
    }

    static CallCostAnswer of(CallCostDetail detail) {
        CallCostRows.Call call = CallCostRows.call(detail.cost());
        List<Event> events = detail.parts().stream().map(part -> new Event(part.id(), part.type(),
                CallCostRows.startedAt(part.timeMs()), part.provider(), part.model(), part.kind(), component(part),
                ReportDecimals.dollars(part.costNanos()), part.unpriced())).toList();
        return new CallCostAnswer(call.callId(), call.agentId(), call.provider(), call.status(), call.startedAt(),
                call.durationSeconds(), call.components(), call.totalCostUsd(), call.reportedTotalCostUsd(),
                call.differenceUsd(), call.unpricedEvents(), events);
    }

    private static String component(CallCostPart part) {
        return CostComponent.of(EventType.fromWire(part.type()).orElseThrow(), part.kind()).map(CostComponent::key)
                .orElse(null);
    }

    /** As CSV: the call's own carrier cost as the first row, then each event. */
    CsvTable csv(CallCost cost) {
        CsvTable table = new CsvTable(List.of("call_id", "event_id", "type", "time", "provider", "model", "kind",
                "component", "cost_usd", "unpriced"));
        List<List<Object>> rows = new ArrayList<>();
        rows.add(Arrays.asList(callId, callId, "call", startedAt, provider, null, null,
                CostComponent.TELEPHONY.key(), ReportDecimals.dollars(cost.components().get(CostComponent.TELEPHONY)),
                unpricedEvents > events.stream().filter(Event::unpriced).count()));
        events.forEach(event -> rows.add(Arrays.asList(callId, event.id(), event.type(), event.time(),
                event.provider(), event.model(), event.kind(), event.component(), event.costUsd(), event.unpriced())));
        rows.forEach(table::row);
        return table;
    }
}
